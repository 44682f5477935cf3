package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;

/**
 * The size of the volume that holds a folder, probed once with {@code stat -f} on the node, so that each sample
 * needs only the free bytes ({@link io.jenkins.plugins.clearml.node.NodeFiles#usableSpace}) to give the percentage
 * psutil gives: {@code used / (used + available)}, where blocks reserved for root count as used.
 *
 * @param path          the folder
 * @param totalBytes    size of the volume
 * @param reservedBytes free blocks that only root may use (constant while the volume is mounted)
 */
record DiskVolume(String path, long totalBytes, long reservedBytes) {

    /** Percent free for a given number of bytes available to non-root users. */
    double freePercent(long availableBytes) {
        long used = totalBytes - reservedBytes - availableBytes;
        long base = used + availableBytes;
        return base <= 0 ? 0.0 : 100.0 - 100.0 * used / base;
    }

    /** Runs {@code stat -f} on the node; null if the node cannot tell (no such folder, no GNU stat). */
    static DiskVolume probe(NodeAccess node, String path) throws InterruptedException {
        try {
            ProcessResult r = node.processes().run(ProcessSpec.of("stat", "-f", "-c", "%S %b %f %a", path));
            return r.succeeded() ? parse(path, r.output()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses {@code "<fragment size> <blocks> <free blocks> <available blocks>"}. */
    static DiskVolume parse(String path, String statOutput) {
        String[] f = ProcFiles.fields(statOutput);
        if (f.length != 4) {
            return null;
        }
        try {
            long size = Long.parseLong(f[0]);
            long blocks = Long.parseLong(f[1]);
            long free = Long.parseLong(f[2]);
            long available = Long.parseLong(f[3]);
            return new DiskVolume(path, blocks * size, Math.max(0, free - available) * size);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
