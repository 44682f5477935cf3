package io.jenkins.plugins.clearml.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tasks a dispatcher has popped but not yet claimed, kept on disk, so that a controller or daemon that dies
 * in between (kill -9, power loss) does not leave them {@code queued} in no queue: the next dispatcher on the same
 * file puts them back at the front of their queue ({@link Dispatcher} does that before its first pop).
 *
 * <p>One file per dispatcher identity (a Queue Cloud's name, a daemon's worker). Every round of pops rewrites
 * it atomically (temp file, fsync, move). Within one JVM, dispatchers on the same file share it (a reconfigured cloud
 * starts a new dispatcher while the old one still settles its tasks): each holds a lease, and only entries of no
 * live lease (left by a previous life, or by a lease closed with entries in it) are handed out for recovery. A
 * second process on the same file (it holds the {@code .lock} next to it) keeps its entries in memory only.
 */
public final class HandOffJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HandOffJournal.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;
    /** Journals open in this JVM, by absolute path; guarded by itself. */
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    /** One popped, not yet claimed task. */
    public record Entry(String taskId, String queueId, String queueName, Instant popped) {
        public Entry {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(queueId, "queueId");
            queueName = queueName == null ? queueId : queueName;
            Objects.requireNonNull(popped, "popped");
        }
    }

    private final Shared shared;
    private boolean closed;

    private HandOffJournal(Shared shared) {
        this.shared = shared;
    }

    /**
     * Opens (creating its folder) the journal at {@code file} for one dispatcher. An unreadable or corrupt file is
     * set aside with one log line and the journal starts empty; a folder that cannot be written leaves the journal
     * in memory only, with a warning, as does a file another running process holds. Never fails.
     */
    public static HandOffJournal open(Path file) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (OPEN) {
            Shared shared = OPEN.get(key);
            if (shared == null) {
                shared = new Shared(key);
                OPEN.put(key, shared);
            }
            shared.leases++;
            return new HandOffJournal(shared);
        }
    }

    public Path file() {
        return shared.file;
    }

    /** {@code name} with every character other than letters, digits, {@code . _ -} replaced by {@code _}. */
    public static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Records a task just popped; on disk before this returns (as far as the disk allows). */
    public void add(Entry entry) {
        add(List.of(entry));
    }

    /** Records the tasks of one round of pops, in one write. */
    public void add(List<Entry> popped) {
        synchronized (shared) {
            for (Entry entry : popped) {
                shared.entries.put(entry.taskId(), new Held(entry, this));
            }
            shared.save();
        }
    }

    /**
     * Forgets {@code entry} (claimed, returned, failed, left alone) if this dispatcher holds it: not once the task's
     * entry was replaced, nor once it was left to the next dispatcher by {@link #close}. On disk with the next
     * {@link #add} or {@link #flush}, not at once: an entry that outlives its task's settlement is harmless, since
     * recovery reads the task's state before it returns anything, and one durable write per pop instead of two
     * keeps the journal's cost per task small.
     */
    public void remove(Entry entry) {
        synchronized (shared) {
            Held held = shared.entries.get(entry.taskId());
            if (held != null && held.entry.equals(entry) && held.owner == this) {
                shared.entries.remove(entry.taskId());
                shared.dirty = true;
            }
        }
    }

    /** Writes the removals not yet on disk; the dispatcher calls it once a tick. */
    public void flush() {
        synchronized (shared) {
            if (shared.dirty) {
                shared.save();
            }
        }
    }

    /**
     * Takes back an entry this dispatcher left by {@link #close} (its run tried to start after the close), so that
     * it settles the task itself; false when another dispatcher has already taken it to recover.
     */
    public boolean takeBack(Entry entry) {
        synchronized (shared) {
            Held held = shared.entries.get(entry.taskId());
            if (held == null || !held.entry.equals(entry)) {
                return false;
            }
            if (held.owner == null) {
                shared.entries.put(entry.taskId(), new Held(entry, this));
            }
            return held.owner == null || held.owner == this;
        }
    }

    /**
     * The entries of no live dispatcher (a previous life's, or those of a dispatcher closed before it settled
     * them), now this one's to recover; each is handed out once.
     */
    public List<Entry> takeOrphans() {
        synchronized (shared) {
            List<Entry> out = new ArrayList<>();
            for (Map.Entry<String, Held> e : shared.entries.entrySet()) {
                if (e.getValue().owner == null) {
                    e.setValue(new Held(e.getValue().entry, this));
                    out.add(e.getValue().entry);
                }
            }
            return out;
        }
    }

    /** Every entry, in the order they were added: for diagnostics and tests. */
    public List<Entry> entries() {
        synchronized (shared) {
            return shared.entries.values().stream().map(Held::entry).toList();
        }
    }

    /** Ends this dispatcher's lease: its entries stay on disk and become orphans for the next dispatcher. */
    @Override
    public void close() {
        synchronized (OPEN) {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (shared) {
                shared.entries.replaceAll((id, held) -> held.owner == this ? new Held(held.entry, null) : held);
                if (shared.dirty) {
                    shared.save();
                }
            }
            if (--shared.leases == 0) {
                OPEN.remove(shared.file);
                shared.release();
            }
        }
    }

    private record Held(Entry entry, HandOffJournal owner) {}

    /** The one in-memory copy of a file, shared by the leases on it. */
    private static final class Shared {
        final Path file;
        final Map<String, Held> entries = new LinkedHashMap<>();
        int leases;
        /** Holds the lock on the {@code .lock} file while this JVM uses the journal; null: in memory only. */
        private FileChannel lockChannel;
        /** Whether the last save failed, so a disk that stays broken is logged once, not on every pop. */
        private boolean saveFailing;
        /** Whether entries were removed since the last save. */
        boolean dirty;

        Shared(Path file) {
            this.file = file;
            FileLock lock;
            try {
                Files.createDirectories(file.getParent());
                lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                LOG.warning("ClearML dispatcher: cannot write the hand-off journal " + file + " (" + e
                        + "): popped tasks are kept in memory only, so a crash before they start leaves them queued "
                        + "in no queue. Make its folder writable.");
                release();
                return;
            }
            if (lock == null) {
                LOG.warning("ClearML dispatcher: the hand-off journal " + file + " is in use by another running "
                        + "process (a second dispatcher with the same identity: same Queue Cloud name and Jenkins "
                        + "home, or same worker name and GPUs); this one keeps its popped tasks in memory only. Give "
                        + "it another identity to have it keep its own journal.");
                release();
                return;
            }
            load();
        }

        private void load() {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                LOG.warning("ClearML dispatcher: cannot read the hand-off journal " + file + " (" + e + "); tasks "
                        + "popped before the last stop may sit queued in no queue: enqueue them again in the ClearML "
                        + "web UI, and make the file readable.");
                return;
            }
            try {
                JsonNode root = JSON.readTree(bytes);
                if (root == null || !root.path("entries").isArray()) {
                    throw new IOException("no \"entries\" list");
                }
                for (JsonNode n : root.path("entries")) {
                    Entry entry = new Entry(text(n, "task"), text(n, "queue"), n.path("queue_name").asText(null),
                            Instant.parse(text(n, "popped")));
                    entries.put(entry.taskId(), new Held(entry, null));
                }
            } catch (IOException | RuntimeException e) {
                entries.clear();
                Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
                try {
                    Files.move(file, aside);
                } catch (IOException moveFailed) {
                    aside = file;
                }
                LOG.warning("ClearML dispatcher: the hand-off journal " + file + " is corrupt (" + e.getMessage()
                        + "), set aside as " + aside + ". The task ids in it, if any, may sit queued in no queue: "
                        + "enqueue them again in the ClearML web UI, then delete the file.");
            }
        }

        private static String text(JsonNode n, String field) throws IOException {
            String value = n.path(field).asText("");
            if (value.isEmpty()) {
                throw new IOException("an entry without \"" + field + "\"");
            }
            return value;
        }

        /** Rewrites the file atomically: a temp file, forced to disk, moved over the old one. */
        void save() {
            dirty = false;
            if (lockChannel == null) {
                return; // in memory only: said once at open
            }
            ObjectNode root = JSON.createObjectNode().put("version", VERSION);
            ArrayNode list = root.putArray("entries");
            for (Held held : entries.values()) {
                Entry e = held.entry;
                list.addObject().put("task", e.taskId()).put("queue", e.queueId()).put("queue_name", e.queueName())
                        .put("popped", e.popped().toString());
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(JSON.writeValueAsBytes(root));
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    out.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                forceFolder();
                saveFailing = false;
            } catch (IOException e) {
                if (!saveFailing) {
                    LOG.log(Level.WARNING, "ClearML dispatcher: cannot write the hand-off journal " + file + " ("
                            + e + "): a crash now could leave popped tasks queued in no queue. Free disk space or "
                            + "fix the folder's permissions.");
                }
                saveFailing = true;
            }
        }

        /** Makes the move itself durable where the platform lets a folder be forced (Linux, macOS). */
        private void forceFolder() {
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException | RuntimeException e) {
                // Windows cannot open a folder as a channel; the move is still atomic there
            }
        }

        /** Closes the lock file's channel, which releases the lock. */
        void release() {
            if (lockChannel != null) {
                try {
                    lockChannel.close();
                } catch (IOException e) {
                    // nothing held any more
                }
            }
            lockChannel = null;
        }
    }
}
