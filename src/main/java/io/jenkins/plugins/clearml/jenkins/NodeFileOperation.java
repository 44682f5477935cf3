package io.jenkins.plugins.clearml.jenkins;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.clearml.node.LocalNode;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * One file operation of the engine, carried to the node that runs the build and done there with NIO
 * ({@link LocalNode}), so that remote agents behave exactly as the command line does (atomic moves, 0600 files
 * created before their content is written). Plain data (an operation name, paths, bytes), so the class filter of
 * Jenkins remoting accepts it; the answer is a String, Boolean, Long, byte[], List of names or {@link NodeFacts}.
 */
final class NodeFileOperation extends MasterToSlaveFileCallable<Object> {

    private static final long serialVersionUID = 1L;

    /** What to do with {@link #path} (and {@link #other} or {@link #content}). */
    enum Kind {
        FACTS, EXISTS, IS_DIRECTORY, CREATE_DIRECTORIES, READ, WRITE, WRITE_OWNER_ONLY, APPEND, MAKE_OWNER_EXECUTABLE,
        LIST, DELETE_RECURSIVELY, MOVE, LAST_MODIFIED, TOUCH, USABLE_SPACE
    }

    private final Kind kind;
    private final String path;
    private final String other;
    private final byte[] content;

    NodeFileOperation(Kind kind, String path, String other, byte[] content) {
        this.kind = kind;
        this.path = path;
        this.other = other;
        this.content = content;
    }

    static NodeFileOperation of(Kind kind, String path) {
        return new NodeFileOperation(kind, path, null, null);
    }

    Kind kind() {
        return kind;
    }

    /** Runs on the node. The {@code File} Jenkins passes is the anchor the operation was sent through, not a target. */
    @Override
    public Object invoke(File anchor, VirtualChannel channel) throws IOException, InterruptedException {
        LocalNode node = LocalNode.get();
        return switch (kind) {
            case FACTS -> new NodeFacts(node.home(), node.tempDir(), LocalNode.hostName());
            case EXISTS -> node.exists(path);
            case IS_DIRECTORY -> node.isDirectory(path);
            case CREATE_DIRECTORIES -> {
                node.createDirectories(path);
                yield Boolean.TRUE;
            }
            case READ -> node.read(path);
            case WRITE, WRITE_OWNER_ONLY -> {
                node.write(path, content, kind == Kind.WRITE_OWNER_ONLY);
                yield Boolean.TRUE;
            }
            case APPEND -> {
                node.append(path, content);
                yield Boolean.TRUE;
            }
            case MAKE_OWNER_EXECUTABLE -> {
                node.makeOwnerExecutable(path);
                yield Boolean.TRUE;
            }
            case LIST -> new java.util.ArrayList<>(node.list(path));
            case DELETE_RECURSIVELY -> {
                node.deleteRecursively(path);
                yield Boolean.TRUE;
            }
            case MOVE -> {
                node.move(path, other);
                yield Boolean.TRUE;
            }
            case LAST_MODIFIED -> node.lastModified(path);
            case TOUCH -> {
                node.touch(path);
                yield Boolean.TRUE;
            }
            case USABLE_SPACE -> node.usableSpace(path);
        };
    }

    /** Never the content: it may be a secret (a git askpass helper, credentials for the task). */
    @Override
    public String toString() {
        return "NodeFileOperation[" + kind + " " + path + (other == null ? "" : " -> " + other) + "]";
    }
}
