#!/usr/bin/env bash
# Queue dispatch benchmark (docs/benchmarks.md, "Queue dispatch"): the dispatch core against the in-process
# ClearML server over real HTTP, with simulated nodes. Arguments go to DispatchBenchmark, e.g.
#   scripts/benchmark-dispatch.sh --poll-ms 500 --idle-seconds 10 --tasks 10000 --run-ms 20
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q test-compile
mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/benchmark.classpath)" \
    io.jenkins.plugins.clearml.dispatch.DispatchBenchmark "$@"
