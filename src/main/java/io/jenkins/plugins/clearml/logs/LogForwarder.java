package io.jenkins.plugins.clearml.logs;

import io.jenkins.plugins.clearml.client.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends a task's console lines to its log on the server, as the real agent does, without losing or repeating a
 * line when the server is away for a while.
 *
 * <ul>
 *   <li>Lines are joined into messages of at most {@link #MAX_MESSAGE_CHARS} characters, one level per message,
 *       each line keeping its trailing line break; a longer line is split.</li>
 *   <li>A background sender seals the message being filled every flush interval (at most 2 s) and sends the
 *       pending messages in packets of about {@link #MAX_PACKET_CHARS} characters, one request each, oldest
 *       first. Timestamps are given at sealing and increase by at least 1 ms per message, so the server keeps the
 *       order however the packets are cut.</li>
 *   <li>A packet that fails with a transient error (server unreachable, 5xx) is kept and sent again after a
 *       growing pause, before anything newer; a packet the server refuses for good is dropped and counted.</li>
 *   <li>Pending messages stay in memory up to a bound, then go to a spill file, so an outage costs disk,
 *       not heap.</li>
 * </ul>
 *
 * Thread-safe: lines may come from several threads (the task's output pump, the agent's notices).
 */
public final class LogForwarder implements AutoCloseable {

    /** Most characters in one log event's {@code msg}. */
    public static final int MAX_MESSAGE_CHARS = 64 * 1024;
    /** About the most characters sent in one request (below the client's 1 MiB packet, escaping included). */
    public static final int MAX_PACKET_CHARS = 900 * 1024;

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final LogSink sink;
    private final String taskId;
    private final String workerId;
    private final Duration flushInterval;
    private final Clock clock;
    private final Consumer<String> notices;

    private final Object lock = new Object();
    private final PendingEvents pending;
    private final StringBuilder current = new StringBuilder(1024);
    private LogLevel currentLevel = LogLevel.DEBUG;
    private int currentLines;
    private long lastTimestamp;
    private long nextFlushAt;
    private boolean urgent;
    private boolean draining;
    private boolean inFlight;
    private boolean closed;
    private boolean outage;

    private long linesAccepted;
    private long linesStored;
    private long linesDropped;
    private long eventsSent;
    private long requests;
    private long failedRequests;

    private final Thread sender;

    private LogForwarder(Builder b) {
        this.sink = Objects.requireNonNull(b.sink, "sink");
        this.taskId = Objects.requireNonNull(b.taskId, "taskId");
        this.workerId = b.workerId;
        this.flushInterval = b.flushInterval;
        this.clock = b.clock;
        this.notices = b.notices;
        this.pending = new PendingEvents(b.memoryBoundChars, b.spillDir);
        this.nextFlushAt = clock.millis() + flushInterval.toMillis();
        this.sender = new Thread(this::sendLoop, "clearml-log-" + taskId);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    public static Builder builder(LogSink sink, String taskId, String workerId) {
        return new Builder(sink, taskId, workerId);
    }

    // ---- producing --------------------------------------------------------------------------------------------

    /** Adds one line (without its line break). */
    public void log(LogLevel level, String line) {
        synchronized (lock) {
            if (closed) {
                linesDropped++;
                return;
            }
            switchLevel(level);
            addLine(line);
        }
    }

    /**
     * Adds {@code count} whole lines, each ended by {@code '\n'}: plain output read at once, joined to the message
     * being filled up to its size and cut only between lines.
     */
    public void logLines(LogLevel level, String text, int count) {
        synchronized (lock) {
            if (closed) {
                linesDropped += count;
                return;
            }
            switchLevel(level);
            int from = 0;
            int left = count;
            while (from < text.length()) {
                int room = MAX_MESSAGE_CHARS - current.length();
                if (text.length() - from <= room) {
                    append(text, from, text.length(), left);
                    break;
                }
                int cut = text.lastIndexOf('\n', from + room - 1) + 1; // past the last line end that fits
                if (cut > from) {
                    int n = lineEnds(text, from, cut);
                    append(text, from, cut, n);
                    if (current.length() > 0) { // the next line does not fit beside these
                        seal();
                    }
                    from = cut;
                    left -= n;
                } else if (current.length() > 0) {
                    seal();
                } else {
                    // a line longer than a message: cut into pieces as a single line is
                    int end = text.indexOf('\n', from);
                    addLine(text.substring(from, end));
                    from = end + 1;
                    left--;
                }
            }
        }
    }

    /** Called with the lock held: a message holds lines of one level. */
    private void switchLevel(LogLevel level) {
        if (level != currentLevel && current.length() > 0) {
            seal();
        }
        currentLevel = level;
    }

    /** Called with the lock held. */
    private void addLine(String line) {
        linesAccepted++;
        int from = 0;
        do {
            // Each piece plus its line break fits in one message.
            int piece = Math.min(line.length() - from, MAX_MESSAGE_CHARS - 1);
            if (current.length() + piece + 1 > MAX_MESSAGE_CHARS) {
                seal();
            }
            current.append(line, from, from + piece).append('\n');
            currentLines++;
            from += piece;
        } while (from < line.length());
        if (current.length() >= MAX_MESSAGE_CHARS - 1) {
            seal();
        }
    }

    /** Called with the lock held: {@code lines} whole lines, {@code text[from, to)}, into the message being filled. */
    private void append(String text, int from, int to, int lines) {
        current.append(text, from, to);
        currentLines += lines;
        linesAccepted += lines;
        if (current.length() >= MAX_MESSAGE_CHARS - 1) {
            seal();
        }
    }

    private static int lineEnds(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    public void debug(String line) {
        log(LogLevel.DEBUG, line);
    }

    public void info(String line) {
        log(LogLevel.INFO, line);
    }

    public void warning(String line) {
        log(LogLevel.WARNING, line);
    }

    public void error(String line) {
        log(LogLevel.ERROR, line);
    }

    /** Seals the message being filled and asks the sender to send everything pending now. */
    public void flush() {
        synchronized (lock) {
            if (current.length() > 0) {
                seal();
            }
            urgent = true;
            lock.notifyAll();
        }
    }

    /**
     * Sends everything pending and waits until the server has stored it, retrying through an outage for at most
     * {@code timeout}. Returns whether nothing is left pending.
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = clock.millis() + timeout.toMillis();
        synchronized (lock) {
            if (current.length() > 0) {
                seal();
            }
            draining = true;
            lock.notifyAll();
            try {
                while (!pending.isEmpty() || inFlight) {
                    long left = deadline - clock.millis();
                    if (left <= 0 || !sender.isAlive()) {
                        return false;
                    }
                    lock.wait(Math.min(left, 200));
                }
                return true;
            } finally {
                draining = false;
            }
        }
    }

    /**
     * Stops the sender: what is still pending is counted as dropped. Call {@link #drain} first to deliver it.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (current.length() > 0) {
                seal();
            }
            closed = true;
            linesDropped += pending.lineCount();
            lock.notifyAll();
        }
        sender.interrupt();
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            pending.close();
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(linesAccepted, linesStored, linesDropped, pending.lineCount() + currentLines, eventsSent,
                    requests, failedRequests, pending.peakMemoryChars(), pending.spilledBytesTotal());
        }
    }

    /**
     * What the forwarder did.
     *
     * @param linesAccepted  lines given to it
     * @param linesStored    lines the server confirmed
     * @param linesDropped   lines given up: refused by the server for good, or still pending at close
     * @param linesPending   lines not yet confirmed
     * @param eventsSent     log events the server confirmed
     * @param requests       requests made, failed ones included
     * @param failedRequests requests that failed (and were retried or dropped)
     * @param peakMemoryChars most characters held in memory waiting to be sent
     * @param spilledBytes   bytes written to the spill file
     */
    public record Stats(long linesAccepted, long linesStored, long linesDropped, long linesPending, long eventsSent,
            long requests, long failedRequests, long peakMemoryChars, long spilledBytes) {
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    /** Called with the lock held. */
    private void seal() {
        long now = clock.millis();
        long timestamp = Math.max(now, lastTimestamp + 1);
        lastTimestamp = timestamp;
        pending.add(new PendingEvents.Message(currentLevel, current.toString(), timestamp, currentLines));
        current.setLength(0);
        if (current.capacity() > 4 * MAX_MESSAGE_CHARS) {
            current.trimToSize();
        }
        currentLines = 0;
        if (pending.memoryChars() >= MAX_PACKET_CHARS && !urgent) {
            urgent = true;
            lock.notifyAll();
        }
    }

    private void sendLoop() {
        long backoffMillis = 0;
        while (true) {
            List<PendingEvents.Message> batch;
            synchronized (lock) {
                try {
                    while (!closed) {
                        long now = clock.millis();
                        if (now >= nextFlushAt) {
                            if (current.length() > 0) {
                                seal();
                            }
                            nextFlushAt = now + flushInterval.toMillis();
                            if (!pending.isEmpty()) {
                                break;
                            }
                        }
                        if ((urgent || draining) && !pending.isEmpty()) {
                            break;
                        }
                        lock.wait(Math.max(1, nextFlushAt - now));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                urgent = false;
                batch = pending.peek(MAX_PACKET_CHARS);
                inFlight = true;
            }
            boolean transientFailure = false;
            try {
                sink.send(toEvents(batch));
                synchronized (lock) {
                    requests++;
                    pending.removeFirst(batch.size());
                    eventsSent += batch.size();
                    linesStored += lines(batch);
                    if (outage) {
                        outage = false;
                        notice("### The server is reachable again: the task log is being delivered ###");
                    }
                }
                backoffMillis = 0;
            } catch (IOException | RuntimeException e) {
                IOException failure = e instanceof IOException io ? io : new IOException(e);
                transientFailure = sink.isTransient(failure);
                int stored = Math.min(batch.size(), Math.max(0, sink.storedBefore(failure)));
                synchronized (lock) {
                    requests++;
                    failedRequests++;
                    if (stored > 0) {
                        List<PendingEvents.Message> done = batch.subList(0, stored);
                        pending.removeFirst(stored);
                        eventsSent += stored;
                        linesStored += lines(done);
                        batch = batch.subList(stored, batch.size());
                    }
                    if (!transientFailure) {
                        pending.removeFirst(batch.size());
                        linesDropped += lines(batch);
                        notice("### Error sending the task log: the server refused " + lines(batch)
                                + " lines (" + failure.getMessage() + ") ###");
                    } else if (!outage) {
                        outage = true;
                        notice("### Could not send the task log (" + failure.getMessage()
                                + "); keeping the lines and retrying ###");
                    }
                }
            } finally {
                synchronized (lock) {
                    inFlight = false;
                    lock.notifyAll();
                }
            }
            if (transientFailure) {
                backoffMillis = backoffMillis == 0 ? 250 : Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
                synchronized (lock) {
                    try {
                        long until = clock.millis() + backoffMillis;
                        while (!closed && clock.millis() < until) {
                            lock.wait(Math.max(1, until - clock.millis()));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private List<LogEvent> toEvents(List<PendingEvents.Message> batch) {
        List<LogEvent> events = new ArrayList<>(batch.size());
        for (PendingEvents.Message m : batch) {
            events.add(new LogEvent(taskId, workerId, m.level().wireName(), m.text(), m.timestampMillis()));
        }
        return events;
    }

    private static long lines(List<PendingEvents.Message> batch) {
        long n = 0;
        for (PendingEvents.Message m : batch) {
            n += m.lines();
        }
        return n;
    }

    private void notice(String text) {
        if (notices != null) {
            try {
                notices.accept(text);
            } catch (RuntimeException ignored) {
                // a broken console must not stop log delivery
            }
        }
    }

    /** Settings of a {@link LogForwarder}. */
    public static final class Builder {
        private final LogSink sink;
        private final String taskId;
        private final String workerId;
        private Path spillDir = Path.of(System.getProperty("java.io.tmpdir"));
        private long memoryBoundChars = 8L * 1024 * 1024;
        private Duration flushInterval = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        private Consumer<String> notices;

        private Builder(LogSink sink, String taskId, String workerId) {
            this.sink = sink;
            this.taskId = taskId;
            this.workerId = workerId;
        }

        /** Folder of the spill file (created when first needed, deleted at close). */
        public Builder spillDir(Path dir) {
            this.spillDir = dir;
            return this;
        }

        /** Characters of pending messages kept in memory before spilling to the file (default 8 Mi). */
        public Builder memoryBoundChars(long chars) {
            this.memoryBoundChars = chars;
            return this;
        }

        /** How often the message being filled is sealed and sent; capped at 2 s. */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = interval.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : interval;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Where the forwarder tells about outages and refusals (the console, not the task log). */
        public Builder notices(Consumer<String> n) {
            this.notices = n;
            return this;
        }

        public LogForwarder build() {
            return new LogForwarder(this);
        }
    }
}
