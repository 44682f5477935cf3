package io.jenkins.plugins.clearml.python;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The venv cache key, built like the real agent's (reference 3.5): the md5 of
 * {@code <package manager>\n<cache context>\n<cuda version>\n<python version>\n<sorted pip lines>\n<sorted conda
 * lines>}, lines stripped with comments and blank lines dropped, so that reordering or commenting requirements
 * does not miss the cache.
 */
final class VenvCacheKey {

    static final String PACKAGE_MANAGER = "pip";

    private VenvCacheKey() {
    }

    /**
     * @param context       what else the venv depends on: the docker image name in docker mode, else empty
     * @param cudaVersion   the CUDA version the packages were picked for, or empty
     * @param pythonVersion the interpreter's minor version ({@code 3.10}): venvs survive patch upgrades
     */
    static String of(String context, String cudaVersion, String pythonVersion, List<String> pipLines,
            List<String> condaLines) {
        String text = PACKAGE_MANAGER + "\n" + nullToEmpty(context).strip() + "\n" + nullToEmpty(cudaVersion).strip()
                + "\n" + pythonVersion + "\n" + sortedLines(pipLines) + "\n" + sortedLines(condaLines);
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private static String sortedLines(List<String> lines) {
        return String.join("\n", lines.stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
