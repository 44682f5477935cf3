package io.jenkins.plugins.clearml.jenkins;

/**
 * Finds a username-with-password credential by id. The Jenkins implementation asks the Credentials plugin; tests
 * use a map. Keeping the answer as data lets plain code decide what a missing or wrong credential means.
 */
@FunctionalInterface
public interface CredentialLookup {

    Result find(String id);

    /** What a credential id resolved to. */
    sealed interface Result permits Found, Missing, WrongKind {
    }

    /** A username-with-password credential. {@link #toString()} never shows the password. */
    record Found(String username, String password) implements Result {
        @Override
        public String toString() {
            return "Found[username=" + username + ", password=****]";
        }
    }

    /** No credential with that id is visible from where it was looked up. */
    record Missing() implements Result {
    }

    /** A credential with that id exists but is of another kind, e.g. a secret text or an SSH key. */
    record WrongKind(String kind) implements Result {
    }
}
