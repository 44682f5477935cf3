package com.cloudbees.plugins.credentials;

public class CredentialsMatchers {
    private CredentialsMatchers() {
    }

    public static CredentialsMatcher always() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public static CredentialsMatcher withId(String id) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public static <C extends Credentials> C firstOrNull(Iterable<C> credentials, CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
