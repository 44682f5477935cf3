package io.jenkins.plugins.clearml.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for nvidia-smi on a machine without a GPU (the one thing a test here cannot have): a shell script
 * that records its arguments and pid, then prints the lines of {@code lines.csv} every {@code -lms} milliseconds,
 * as the real loop does. {@code mode}: {@code loop} (default), {@code once} (print and exit 0), {@code fail}
 * (print the driver error and exit 9, as nvidia-smi does without a driver).
 */
final class FakeNvidiaSmi {

    final Path dir;
    final Path program;

    FakeNvidiaSmi(Path dir, String lines) throws IOException {
        this.dir = dir;
        this.program = dir.resolve("nvidia-smi");
        Files.writeString(dir.resolve("lines.csv"), lines);
        Files.writeString(dir.resolve("mode"), "loop");
        Files.writeString(program, """
                #!/bin/bash
                here="$(dirname "$0")"
                echo "$$" >>"$here/pids"
                echo "$*" >>"$here/args"
                ms=1000
                while [ $# -gt 0 ]; do [ "$1" = "-lms" ] && ms="$2"; shift; done
                case "$(cat "$here/mode")" in
                  fail) echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."; exit 9;;
                  once) cat "$here/lines.csv"; exit 0;;
                esac
                while true; do cat "$here/lines.csv"; sleep "$(awk "BEGIN{print $ms/1000}")"; done
                """);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
    }

    void mode(String mode) throws IOException {
        Files.writeString(dir.resolve("mode"), mode);
    }

    void lines(String lines) throws IOException {
        Path tmp = dir.resolve("lines.tmp");
        Files.writeString(tmp, lines);
        Files.move(tmp, dir.resolve("lines.csv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    List<Long> pids() throws IOException {
        Path pids = dir.resolve("pids");
        return Files.exists(pids) ? Files.readAllLines(pids).stream().map(Long::parseLong).toList() : List.of();
    }

    List<String> args() throws IOException {
        Path args = dir.resolve("args");
        return Files.exists(args) ? Files.readAllLines(args) : List.of();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
