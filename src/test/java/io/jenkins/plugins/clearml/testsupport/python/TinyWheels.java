package io.jenkins.plugins.clearml.testsupport.python;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes tiny pure-Python wheels (PEP 427) for tests, so that real pip can install real packages offline.
 *
 * <p>The wheel is assembled here rather than with {@code pip wheel}: this machine's interpreters ship
 * setuptools 65 without the {@code wheel} package, so {@code pip wheel --no-build-isolation} cannot build, and
 * build isolation would need an index. A wheel is a zip with a {@code .dist-info} folder; pip installs this one
 * exactly as it installs one from PyPI.
 */
public final class TinyWheels {

    private TinyWheels() {
    }

    /** A package {@code name} with {@code __init__.py} defining {@code VERSION}; returns the wheel file. */
    public static Path write(Path dir, String name, String version, String... requiresDist) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + "/__init__.py", "VERSION = '" + version + "'\n");
        return write(dir, name, version, files, List.of(requiresDist));
    }

    /** A wheel with the given files (path inside the wheel → content) and {@code Requires-Dist} lines. */
    public static Path write(Path dir, String name, String version, Map<String, String> sources,
            List<String> requiresDist) throws IOException {
        String distInfo = name + "-" + version + ".dist-info";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        sources.forEach((path, text) -> entries.put(path, text.getBytes(StandardCharsets.UTF_8)));
        StringBuilder metadata = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                + "\nSummary: test package\n");
        requiresDist.forEach(r -> metadata.append("Requires-Dist: ").append(r).append('\n'));
        entries.put(distInfo + "/METADATA", metadata.toString().getBytes(StandardCharsets.UTF_8));
        entries.put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: clearml-plugin-tests\n"
                + "Root-Is-Purelib: true\nTag: py3-none-any\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        entries.forEach((path, bytes) -> record.append(path).append(",sha256=").append(sha256(bytes)).append(',')
                .append(bytes.length).append('\n'));
        record.append(distInfo).append("/RECORD,,\n");
        entries.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));

        Files.createDirectories(dir);
        Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return wheel;
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
