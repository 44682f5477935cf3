package io.jenkins.plugins.clearml.python;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the interpreter search found for one request, kept in the cache index so that a cache hit starts no
 * Python process. It holds while the interpreter file is unchanged, for {@link VenvCache#MEMO_LIFETIME} at most
 * (a changed {@code PATH} is not visible otherwise).
 *
 * @param request            docker image, {@code agent.python_binary} and requested version, one per line
 * @param warning            the fallback warning the search printed, replayed on reuse; empty if none
 * @param executableModified modification time of {@code executable} on the node when probed
 * @param probedAt           node time in milliseconds of the probe
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record InterpreterMemo(String request, String command, String executable, String version, String warning,
        long executableModified, long probedAt) {

    Interpreter interpreter() {
        return new Interpreter(command, executable, version);
    }
}
