package io.jenkins.plugins.clearml.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The node ports implemented with {@link ProcessBuilder} and NIO, for the command line and tests. */
public final class LocalNode implements NodeProcesses, NodeFiles {

    private static final LocalNode INSTANCE = new LocalNode();

    private LocalNode() {
    }

    public static LocalNode get() {
        return INSTANCE;
    }

    static NodeAccess access() {
        return new NodeAccess(INSTANCE, INSTANCE, System.getenv(), hostName());
    }

    /** This machine's name as the agent reports it: {@code HOSTNAME}, else the resolver's. */
    public static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    // ---- processes -------------------------------------------------------------------------------------------

    @Override
    public RunningProcess start(ProcessSpec spec) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true);
        if (spec.workingDir() != null) {
            pb.directory(Path.of(spec.workingDir()).toFile());
        }
        Map<String, String> env = pb.environment();
        spec.removeFromEnvironment().forEach(env::remove);
        env.putAll(spec.environment());
        if (spec.stdin() == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = pb.start();
        if (spec.stdin() != null) {
            feed(process, spec.stdin());
        }
        return new LocalProcess(process);
    }

    private static void feed(Process process, byte[] input) {
        Thread writer = new Thread(() -> {
            try (OutputStream os = process.getOutputStream()) {
                os.write(input);
            } catch (IOException ignored) {
                // the process closed its input early; its exit code tells what happened
            }
        }, "stdin-" + process.pid());
        writer.setDaemon(true);
        writer.start();
    }

    private record LocalProcess(Process process) implements RunningProcess {

        @Override
        public InputStream output() {
            return process.getInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void killTree() {
            // Collect the descendants first: once the parent dies they are re-parented and lost from view.
            List<ProcessHandle> tree = new ArrayList<>();
            process.toHandle().descendants().forEach(tree::add);
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    // ---- files -----------------------------------------------------------------------------------------------

    @Override
    public String home() {
        return System.getProperty("user.home");
    }

    @Override
    public String tempDir() {
        return System.getProperty("java.io.tmpdir");
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public boolean isDirectory(String path) {
        return Files.isDirectory(Path.of(path));
    }

    @Override
    public void createDirectories(String path) throws IOException {
        Files.createDirectories(Path.of(path));
    }

    @Override
    public byte[] read(String path) throws IOException {
        return Files.readAllBytes(Path.of(path));
    }

    @Override
    public String readString(String path) throws IOException {
        return Files.readString(Path.of(path));
    }

    @Override
    public void write(String path, byte[] content, boolean ownerOnly) throws IOException {
        Path p = Path.of(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        if (ownerOnly) {
            // Create with 0600 before writing, so the secret is never readable by others, not even briefly.
            Files.deleteIfExists(p);
            try {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(p, content, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(p, content);
        }
    }

    @Override
    public void writeString(String path, String content, boolean ownerOnly) throws IOException {
        write(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), ownerOnly);
    }

    @Override
    public void append(String path, byte[] content) throws IOException {
        Path p = Path.of(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.write(p, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void makeOwnerExecutable(String path) throws IOException {
        Files.setPosixFilePermissions(Path.of(path), PosixFilePermissions.fromString("rwx------"));
    }

    @Override
    public List<String> list(String directory) throws IOException {
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void deleteRecursively(String path) throws IOException {
        Path root = Path.of(path);
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void move(String from, String to) throws IOException {
        try {
            Files.move(Path.of(from), Path.of(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(Path.of(from), Path.of(to), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public long lastModified(String path) throws IOException {
        return Files.getLastModifiedTime(Path.of(path)).toMillis();
    }

    @Override
    public void touch(String path) throws IOException {
        Path p = Path.of(path);
        if (Files.exists(p)) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
        } else {
            write(path, new byte[0], false);
        }
    }

    @Override
    public long usableSpace(String path) throws IOException {
        return Files.getFileStore(Path.of(path)).getUsableSpace();
    }
}
