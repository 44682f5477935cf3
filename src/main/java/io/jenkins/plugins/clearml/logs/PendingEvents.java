package io.jenkins.plugins.clearml.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The sealed log messages not yet stored by the server, oldest first: in memory up to a bound, then in a spill
 * file, so that a long outage of the server costs disk, not heap. Order is kept across the two: once spilling has
 * begun every new message goes to the file until the file has been read back completely.
 *
 * <p>Not thread-safe: {@link LogForwarder} guards it with its lock.
 */
final class PendingEvents implements AutoCloseable {

    /** One sealed message: text with its trailing line breaks, its level, timestamp and line count. */
    record Message(LogLevel level, String text, long timestampMillis, int lines) {
    }

    private final ArrayDeque<Message> memory = new ArrayDeque<>();
    private final long memoryBoundChars;
    private final Path spillDir;
    private long memoryChars;

    private Path spillFile;
    private FileChannel spill;
    private long spillReadPosition;
    private long spillWritePosition;
    private long spilledMessages;
    private long spilledBytesTotal;
    private long peakMemoryChars;

    PendingEvents(long memoryBoundChars, Path spillDir) {
        this.memoryBoundChars = memoryBoundChars;
        this.spillDir = spillDir;
    }

    void add(Message message) {
        if (spilledMessages == 0 && memoryChars + message.text().length() <= memoryBoundChars) {
            addToMemory(message);
            return;
        }
        try {
            writeToSpill(message);
        } catch (IOException e) {
            // A full or read-only disk must not lose lines: keep them in memory beyond the bound instead.
            addToMemory(message);
        }
    }

    boolean isEmpty() {
        return memory.isEmpty() && spilledMessages == 0;
    }

    long memoryChars() {
        return memoryChars;
    }

    long peakMemoryChars() {
        return peakMemoryChars;
    }

    long spilledBytesTotal() {
        return spilledBytesTotal;
    }

    /** Lines held, in memory and in the spill file. */
    long lineCount() {
        long n = 0;
        for (Message m : memory) {
            n += m.lines();
        }
        return n + spilledLines;
    }

    private long spilledLines;

    /** The oldest messages, up to {@code maxChars} in all (at least one); they stay pending until removed. */
    List<Message> peek(int maxChars) {
        if (memory.isEmpty() && spilledMessages > 0) {
            readBackFromSpill();
        }
        List<Message> batch = new ArrayList<>();
        long chars = 0;
        Iterator<Message> it = memory.iterator();
        while (it.hasNext()) {
            Message m = it.next();
            if (!batch.isEmpty() && chars + m.text().length() > maxChars) {
                break;
            }
            batch.add(m);
            chars += m.text().length();
        }
        return batch;
    }

    /** Forgets the {@code count} oldest messages (the server stored them, or refused them for good). */
    void removeFirst(int count) {
        for (int i = 0; i < count && !memory.isEmpty(); i++) {
            memoryChars -= memory.removeFirst().text().length();
        }
    }

    private void addToMemory(Message message) {
        memory.addLast(message);
        memoryChars += message.text().length();
        peakMemoryChars = Math.max(peakMemoryChars, memoryChars);
    }

    private void writeToSpill(Message message) throws IOException {
        if (spill == null) {
            Files.createDirectories(spillDir);
            spillFile = Files.createTempFile(spillDir, ".clearml-log-spill-", ".bin");
            spill = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        }
        byte[] text = message.text().getBytes(StandardCharsets.UTF_8);
        ByteBuffer record = ByteBuffer.allocate(1 + 8 + 4 + 4 + text.length);
        record.put((byte) message.level().ordinal()).putLong(message.timestampMillis()).putInt(message.lines())
                .putInt(text.length).put(text).flip();
        while (record.hasRemaining()) {
            spillWritePosition += spill.write(record, spillWritePosition);
        }
        spilledMessages++;
        spilledLines += message.lines();
        spilledBytesTotal += text.length;
    }

    /** Moves the oldest spilled messages back into memory, up to half the memory bound. */
    private void readBackFromSpill() {
        try {
            long budget = Math.max(1, memoryBoundChars / 2);
            ByteBuffer header = ByteBuffer.allocate(17);
            while (spilledMessages > 0 && memoryChars < budget) {
                header.clear();
                readFully(header, spillReadPosition);
                header.flip();
                LogLevel level = LogLevel.values()[header.get()];
                long timestamp = header.getLong();
                int lines = header.getInt();
                int length = header.getInt();
                ByteBuffer text = ByteBuffer.allocate(length);
                readFully(text, spillReadPosition + 17);
                spillReadPosition += 17 + length;
                spilledMessages--;
                spilledLines -= lines;
                addToMemory(new Message(level, new String(text.array(), StandardCharsets.UTF_8), timestamp, lines));
            }
            if (spilledMessages == 0) {
                // Everything was read back: start the file again from its beginning.
                spill.truncate(0);
                spillReadPosition = 0;
                spillWritePosition = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The log spill file " + spillFile + " could not be read", e);
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = spill.read(buffer, p);
            if (n < 0) {
                throw new IOException("unexpected end of the spill file");
            }
            p += n;
        }
    }

    @Override
    public void close() {
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException ignored) {
                // the file is deleted on close; nothing else to release
            }
            spill = null;
        }
    }
}
