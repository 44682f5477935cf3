package io.jenkins.plugins.clearml.node;

import java.io.IOException;
import java.util.List;

/**
 * Port through which the engine reads and writes files on the node that runs a task. Paths are absolute
 * strings in the node's own syntax (Linux nodes: '/' separated), since the node may be another machine.
 * Implemented with NIO ({@link LocalNode}) and with a Jenkins {@code FilePath}.
 */
public interface NodeFiles {

    /** The home directory of the user that runs the agent on the node. */
    String home();

    /** A directory for temporary files on the node. */
    String tempDir();

    boolean exists(String path) throws IOException, InterruptedException;

    boolean isDirectory(String path) throws IOException, InterruptedException;

    void createDirectories(String path) throws IOException, InterruptedException;

    byte[] read(String path) throws IOException, InterruptedException;

    String readString(String path) throws IOException, InterruptedException;

    /** Writes the file, creating its parent folders; {@code ownerOnly} makes it readable by its owner alone (0600). */
    void write(String path, byte[] content, boolean ownerOnly) throws IOException, InterruptedException;

    void writeString(String path, String content, boolean ownerOnly) throws IOException, InterruptedException;

    /** Appends to the file, creating it if needed. */
    void append(String path, byte[] content) throws IOException, InterruptedException;

    /** Makes a file executable by its owner only (0700), e.g. a git askpass helper. */
    void makeOwnerExecutable(String path) throws IOException, InterruptedException;

    /** Names (not paths) of the entries of a directory; empty if it does not exist. */
    List<String> list(String directory) throws IOException, InterruptedException;

    void deleteRecursively(String path) throws IOException, InterruptedException;

    /** Renames atomically where the file system allows it; replaces the target. */
    void move(String from, String to) throws IOException, InterruptedException;

    long lastModified(String path) throws IOException, InterruptedException;

    void touch(String path) throws IOException, InterruptedException;

    /** Bytes free for a non-root user on the volume that holds {@code path}. */
    long usableSpace(String path) throws IOException, InterruptedException;

    /** Joins path elements with the node's separator. */
    default String resolve(String base, String... more) {
        StringBuilder sb = new StringBuilder(base);
        for (String m : more) {
            if (m == null || m.isEmpty()) {
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '/') {
                sb.append('/');
            }
            sb.append(m.startsWith("/") ? m.substring(1) : m);
        }
        return sb.toString();
    }
}
