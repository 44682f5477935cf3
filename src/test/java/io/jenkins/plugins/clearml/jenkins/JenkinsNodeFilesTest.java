package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file port as a remote agent runs it: every operation is serialized (as remoting does), then done on "the node"
 * (this machine) by the callable, against real files.
 */
class JenkinsNodeFilesTest {

    @TempDir
    Path dir;

    private final List<NodeFileOperation> sent = new ArrayList<>();

    private JenkinsNodeFiles files() throws Exception {
        return new JenkinsNodeFiles(op -> {
            sent.add(op);
            return roundTrip(roundTrip(op).invoke(null, null));
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    @Test
    void factsAreReadOnTheNodeOnce() throws Exception {
        JenkinsNodeFiles files = files();
        assertThat(files.home()).isEqualTo(System.getProperty("user.home"));
        assertThat(files.tempDir()).isEqualTo(System.getProperty("java.io.tmpdir"));
        assertThat(files.facts().hostName()).isNotBlank();
        files.home();
        assertThat(sent).extracting(NodeFileOperation::kind).containsExactly(NodeFileOperation.Kind.FACTS);
    }

    @Test
    void writesReadsListsMovesAndDeletes() throws Exception {
        JenkinsNodeFiles files = files();
        String sub = files.resolve(dir.toString(), "a", "b");
        files.writeString(files.resolve(sub, "x.txt"), "hello", false);
        files.append(files.resolve(sub, "x.txt"), " world".getBytes());
        assertThat(files.readString(files.resolve(sub, "x.txt"))).isEqualTo("hello world");
        assertThat(files.exists(sub)).isTrue();
        assertThat(files.isDirectory(sub)).isTrue();
        files.move(files.resolve(sub, "x.txt"), files.resolve(sub, "y.txt"));
        assertThat(files.list(sub)).containsExactly("y.txt");
        assertThat(files.list(files.resolve(sub, "missing"))).isEmpty();
        files.touch(files.resolve(sub, "z"));
        assertThat(files.lastModified(files.resolve(sub, "z"))).isPositive();
        assertThat(files.usableSpace(sub)).isPositive();
        files.deleteRecursively(files.resolve(dir.toString(), "a"));
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
    }

    @Test
    void ownerOnlyFilesAndExecutablesGetTheirModesOnTheNode() throws Exception {
        JenkinsNodeFiles files = files();
        String secret = dir.resolve("askpass").toString();
        files.writeString(secret, "#!/bin/sh\necho token\n", true);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(secret)))).isEqualTo("rw-------");
        files.makeOwnerExecutable(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(secret)))).isEqualTo("rwx------");
    }

    @Test
    void anOperationNeverShowsTheContentItCarries() {
        NodeFileOperation op = new NodeFileOperation(NodeFileOperation.Kind.WRITE_OWNER_ONLY, "/x", null,
                "hunter2".getBytes());
        assertThat(op.toString()).contains("/x").doesNotContain("hunter2");
    }
}
