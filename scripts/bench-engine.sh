#!/usr/bin/env bash
# Issue 2's benchmarks: time to first line / total with warm caches, and forwarding 1,000,000 lines.
# Usage: scripts/bench-engine.sh [runs] [lines]     (see docs/benchmarks.md)
# Comparing builds: run EngineBenchmark with "new.jar,old.jar" as its first argument (docs/benchmarks.md (a)).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o package -DskipTests
java -cp "target/clearml-agent-cli.jar:target/test-classes" io.jenkins.plugins.clearml.bench.EngineBenchmark \
  target/clearml-agent-cli.jar "${1:-5}" "${2:-1000000}"
