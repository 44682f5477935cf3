package io.jenkins.plugins.clearml.python;

/**
 * A Python interpreter found on the run site.
 *
 * @param command    how it was invoked (a name on the PATH or a path), used to create venvs
 * @param executable its {@code sys.executable}
 * @param version    its full version, e.g. {@code 3.10.13}
 */
record Interpreter(String command, String executable, String version) {

    /** {@code 3.10} for {@code 3.10.13}: venvs are compatible within a minor version. */
    String minorVersion() {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }

    /** Whether this interpreter satisfies a requested version such as {@code 3}, {@code 3.10} or {@code 3.10.4}. */
    boolean matches(String requested) {
        return requested == null || requested.isEmpty()
                || version.equals(requested) || version.startsWith(requested + ".");
    }
}
