#!/usr/bin/env bash
# The prepared GPU check for a machine with a GPU but no Java (the `device` machine of this workplace):
#   1. tools/gpu-capture.sh: NVML (pynvml) beside nvidia-smi, and the CPU cost per sample of the three ways;
#   2. the plugin's own `node-stats` with each GPU backend (the JNA NVML binding against the real driver).
# Prepare here, once (the JRE is made with jlink from this machine's JDK 17; about 39 MB):
#   mvn -q -B package -DskipTests && rm -rf .device && mkdir .device
#   jlink --add-modules java.base,java.logging,java.naming,java.management,jdk.unsupported,jdk.httpserver,java.xml,java.sql \
#         --strip-debug --no-man-pages --no-header-files --compress=2 --output .device/jre
#   cp target/clearml-agent-cli.jar tools/gpu-capture.sh tools/gpu-device-check.sh .device/
# then run `bash .device/gpu-device-check.sh` there with `.device` carried; results land in $OUT.
# Copy $OUT/cap (unpacked) to src/test/resources/metrics/gpu-capture/<machine>/ for GpuCaptureTest.
set -u
D=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-./gpu-device-check}
mkdir -p "$OUT/cap"
OUT="$OUT/cap" timeout 200 bash "$D/gpu-capture.sh" >"$OUT/capture-stdout.txt" 2>&1
echo "capture rc=$?"
J="$D/jre/bin/java -jar $D/clearml-agent-cli.jar"
{
  for backend in auto nvml nvidia-smi; do
    echo "=== node-stats --gpu-backend $backend --json"
    $J node-stats --gpu-backend "$backend" --json 2>&1
    echo "rc=$?"
  done
  echo "=== libnvidia-ml"
  ldconfig -p | grep -i nvidia-ml
} >"$OUT/java-node-stats.txt" 2>&1
tar -C "$OUT" -czf "$OUT/cap.tgz" cap
cat "$OUT/java-node-stats.txt"
