package io.jenkins.plugins.clearml.jenkins;

import hudson.FilePath;
import io.jenkins.plugins.clearml.jenkins.NodeFileOperation.Kind;
import io.jenkins.plugins.clearml.node.NodeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The engine's file port on a Jenkins node: every operation is sent through the node's {@link FilePath} channel
 * and done on the node itself, whether that is the controller or a remote agent.
 */
public final class JenkinsNodeFiles implements NodeFiles {

    /** Sends an operation to the node; {@link FilePath#act} in Jenkins, a direct call in tests. */
    @FunctionalInterface
    interface Channel {
        Object act(NodeFileOperation operation) throws IOException, InterruptedException;
    }

    private final Channel channel;
    private final NodeFacts facts;

    JenkinsNodeFiles(Channel channel) throws IOException, InterruptedException {
        this.channel = channel;
        this.facts = (NodeFacts) channel.act(NodeFileOperation.of(Kind.FACTS, ""));
    }

    /**
     * @param anchor any path on the node (the build's workspace): operations travel through its channel
     */
    public static JenkinsNodeFiles on(FilePath anchor) throws IOException, InterruptedException {
        return new JenkinsNodeFiles(anchor::act);
    }

    /** Home, temporary folder and host name of the node, read when this port was created. */
    public NodeFacts facts() {
        return facts;
    }

    @Override
    public String home() {
        return facts.home();
    }

    @Override
    public String tempDir() {
        return facts.tempDir();
    }

    @Override
    public boolean exists(String path) throws IOException, InterruptedException {
        return (Boolean) channel.act(NodeFileOperation.of(Kind.EXISTS, path));
    }

    @Override
    public boolean isDirectory(String path) throws IOException, InterruptedException {
        return (Boolean) channel.act(NodeFileOperation.of(Kind.IS_DIRECTORY, path));
    }

    @Override
    public void createDirectories(String path) throws IOException, InterruptedException {
        channel.act(NodeFileOperation.of(Kind.CREATE_DIRECTORIES, path));
    }

    @Override
    public byte[] read(String path) throws IOException, InterruptedException {
        return (byte[]) channel.act(NodeFileOperation.of(Kind.READ, path));
    }

    @Override
    public String readString(String path) throws IOException, InterruptedException {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    @Override
    public void write(String path, byte[] content, boolean ownerOnly) throws IOException, InterruptedException {
        channel.act(new NodeFileOperation(ownerOnly ? Kind.WRITE_OWNER_ONLY : Kind.WRITE, path, null, content));
    }

    @Override
    public void writeString(String path, String content, boolean ownerOnly) throws IOException, InterruptedException {
        write(path, content.getBytes(StandardCharsets.UTF_8), ownerOnly);
    }

    @Override
    public void append(String path, byte[] content) throws IOException, InterruptedException {
        channel.act(new NodeFileOperation(Kind.APPEND, path, null, content));
    }

    @Override
    public void makeOwnerExecutable(String path) throws IOException, InterruptedException {
        channel.act(NodeFileOperation.of(Kind.MAKE_OWNER_EXECUTABLE, path));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> list(String directory) throws IOException, InterruptedException {
        return List.copyOf((List<String>) channel.act(NodeFileOperation.of(Kind.LIST, directory)));
    }

    @Override
    public void deleteRecursively(String path) throws IOException, InterruptedException {
        channel.act(NodeFileOperation.of(Kind.DELETE_RECURSIVELY, path));
    }

    @Override
    public void move(String from, String to) throws IOException, InterruptedException {
        channel.act(new NodeFileOperation(Kind.MOVE, from, to, null));
    }

    @Override
    public long lastModified(String path) throws IOException, InterruptedException {
        return (Long) channel.act(NodeFileOperation.of(Kind.LAST_MODIFIED, path));
    }

    @Override
    public void touch(String path) throws IOException, InterruptedException {
        channel.act(NodeFileOperation.of(Kind.TOUCH, path));
    }

    @Override
    public long usableSpace(String path) throws IOException, InterruptedException {
        return (Long) channel.act(NodeFileOperation.of(Kind.USABLE_SPACE, path));
    }
}
