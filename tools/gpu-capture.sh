#!/usr/bin/env bash
# Records what the metrics sampler reads on a real GPU machine, for test fixtures and docs/benchmarks.md:
#   - NVML readings (pynvml) next to nvidia-smi readings of the same GPUs, taken at the same moment;
#   - the exact CSV query the sampler uses: one shot, a `-l 1` loop and a `-lms 500` loop, and `nvidia-smi -q`;
#   - CPU time per sample for NVML, for one long-running `nvidia-smi -lms` loop and for one nvidia-smi per sample;
#   - the /proc files the sampler parses.
# Needs bash, coreutils `timeout`, python3 with nvidia-ml-py (pynvml) and nvidia-smi; no Java.
# Usage: OUT=/some/dir tools/gpu-capture.sh     (default OUT: ./gpu-capture). Finishes in about a minute.
set -u

OUT="${OUT:-./gpu-capture}"
mkdir -p "$OUT/proc"
# Keep in step with NvidiaSmiGpuSource.QUERY.
QUERY="index,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,fan.speed"
SMI_FORMAT="--format=csv,noheader,nounits"
LOG="$OUT/capture.log"
: >"$LOG"

note() { echo "== $*" | tee -a "$LOG"; }
run() { # run <file> <seconds> <command...>: stdout+stderr to $OUT/<file>, exit status to the log, never fatal
    local file="$1" secs="$2"; shift 2
    timeout --kill-after=5 "$secs" "$@" >"$OUT/$file" 2>&1
    local rc=$?
    echo "$(date -u +%FT%TZ) rc=$rc $file: $*" >>"$LOG"
}

note "environment"
{
    date -u +%FT%TZ
    uname -srm
    echo "nproc=$(nproc)"
    echo "NVIDIA_VISIBLE_DEVICES=${NVIDIA_VISIBLE_DEVICES-<unset>}"
    echo "CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES-<unset>}"
    command -v nvidia-smi
    python3 --version
    python3 -c 'import pynvml, importlib.metadata as m; print("nvidia-ml-py", m.version("nvidia-ml-py"))'
    ls -l /usr/lib/x86_64-linux-gnu/libnvidia-ml.so* /usr/lib64/libnvidia-ml.so* 2>/dev/null
} >"$OUT/environment.txt" 2>&1

note "nvidia-smi: the sampler's query, once, with and without units; -L; -q"
run query.csv 30 nvidia-smi --query-gpu="$QUERY" $SMI_FORMAT
run query-with-header.csv 30 nvidia-smi --query-gpu="$QUERY" --format=csv
run query-extra.csv 30 nvidia-smi --query-gpu=index,name,driver_version,persistence_mode,mig.mode.current,power.limit,clocks.sm --format=csv
run list.txt 30 nvidia-smi -L
run q.txt 30 nvidia-smi -q

note "nvidia-smi loops: -l 1 and -lms 500, 5 s each (timeout ends them; rc=124 is expected)"
run loop-l1.csv 5 nvidia-smi --query-gpu="$QUERY" $SMI_FORMAT -l 1
run loop-lms500.csv 5 nvidia-smi --query-gpu="$QUERY" $SMI_FORMAT -lms 500

note "/proc and /sys files the sampler parses"
for f in stat meminfo loadavg diskstats net/dev cpuinfo; do
    cat "/proc/$f" >"$OUT/proc/$(echo "$f" | tr / _)" 2>&1
done
ls /sys/block >"$OUT/proc/sys_block.txt" 2>&1
{ free -b; df -P -B1 "$HOME" /tmp; stat -f -c '%S %b %f %a' "$HOME"; } >"$OUT/proc/free-df.txt" 2>&1

note "NVML next to nvidia-smi, and CPU time per sample (python3 + pynvml)"
timeout --kill-after=5 120 python3 - "$OUT" "$QUERY" >"$OUT/nvml-vs-smi.txt" 2>&1 <<'PY'
import json, os, resource, subprocess, sys, time

out, query = sys.argv[1], sys.argv[2]
smi = ["nvidia-smi", "--query-gpu=" + query, "--format=csv,noheader,nounits"]
result = {}

try:
    import pynvml as N
except Exception as e:  # keep going: the nvidia-smi figures are still useful
    print("pynvml unavailable:", e)
    N = None

def call(f, *a, **k):
    try:
        return f(*a, **k)
    except Exception as e:
        return "ERR " + type(e).__name__ + ": " + str(e)

def nvml_read(h):
    util = call(N.nvmlDeviceGetUtilizationRates, h)
    mem1 = call(N.nvmlDeviceGetMemoryInfo, h)
    mem2 = call(N.nvmlDeviceGetMemoryInfo, h, version=N.nvmlMemory_v2) if hasattr(N, "nvmlMemory_v2") else "n/a"
    power = call(N.nvmlDeviceGetPowerUsage, h)
    def attr(o, name):
        return getattr(o, name) if not isinstance(o, str) else o
    return {
        "index": call(N.nvmlDeviceGetIndex, h),
        "uuid": call(N.nvmlDeviceGetUUID, h),
        "name": call(N.nvmlDeviceGetName, h),
        "utilization.gpu %": attr(util, "gpu"),
        "memory.used MiB (v1)": attr(mem1, "used") / 2**20 if not isinstance(mem1, str) else mem1,
        "memory.total MiB (v1)": attr(mem1, "total") / 2**20 if not isinstance(mem1, str) else mem1,
        "memory.used MiB (v2)": mem2.used / 2**20 if not isinstance(mem2, str) else mem2,
        "memory.reserved MiB (v2)": mem2.reserved / 2**20 if not isinstance(mem2, str) else mem2,
        "memory.total MiB (v2)": mem2.total / 2**20 if not isinstance(mem2, str) else mem2,
        "temperature.gpu C": call(N.nvmlDeviceGetTemperature, h, N.NVML_TEMPERATURE_GPU),
        "power.draw W": power / 1000.0 if not isinstance(power, str) else power,
        "fan.speed %": call(N.nvmlDeviceGetFanSpeed, h),
    }

def smi_read():
    try:
        text = subprocess.run(smi, capture_output=True, text=True, timeout=30).stdout
    except Exception as e:
        print("nvidia-smi failed:", e)
        return []
    return [[c.strip() for c in line.split(",")] for line in text.strip().splitlines()]

def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

handles = []
if N:
    t0, c0 = time.monotonic(), cpu_self()
    init = call(N.nvmlInit)
    result["nvml_init"] = {"wall_ms": (time.monotonic() - t0) * 1e3, "cpu_ms": (cpu_self() - c0) * 1e3, "error": init}
    result["driver"] = call(N.nvmlSystemGetDriverVersion)
    result["nvml_version"] = call(N.nvmlSystemGetNVMLVersion)
    count = call(N.nvmlDeviceGetCount)
    handles = [h for h in (call(N.nvmlDeviceGetHandleByIndex, i) for i in range(count if isinstance(count, int) else 0))
               if not isinstance(h, str)]

# Side by side, three rounds one second apart.
result["side_by_side"] = []
for _ in range(3):
    nv = [nvml_read(h) for h in handles]
    sm = smi_read()
    result["side_by_side"].append({"nvml": nv, "nvidia_smi_csv": sm})
    fields = query.split(",")
    for g, row in enumerate(sm):
        print("GPU row %d" % g)
        for f, v in zip(fields, row):
            print("  %-22s smi=%-44s" % (f, v))
        if g < len(nv):
            for k, v in nv[g].items():
                print("  %-26s nvml=%s" % (k, v))
    time.sleep(1)

# CPU time per sample. NVML: every field of every GPU per sample, as the sampler reads them.
bench = {}
def section(name, fn):
    try:
        fn()
    except Exception as e:
        bench[name] = "failed: %s: %s" % (type(e).__name__, e)

def nvml_bench():
    if not handles:
        return
    n = 200
    c0, t0 = cpu_self(), time.monotonic()
    for _ in range(n):
        for h in handles:
            N.nvmlDeviceGetUtilizationRates(h); call(N.nvmlDeviceGetMemoryInfo, h)
            call(N.nvmlDeviceGetTemperature, h, N.NVML_TEMPERATURE_GPU); call(N.nvmlDeviceGetPowerUsage, h)
            call(N.nvmlDeviceGetFanSpeed, h)
    bench["nvml_pynvml"] = {"samples": n, "cpu_ms_per_sample": (cpu_self() - c0) * 1e3 / n,
                            "wall_ms_per_sample": (time.monotonic() - t0) * 1e3 / n}
section("nvml_pynvml", nvml_bench)

# One long-running `nvidia-smi -lms 200` loop: CPU ticks of that process between t=3 s and t=13 s.
def ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in parts[11:15])  # utime, stime and those of waited-for children
hz = os.sysconf("SC_CLK_TCK")
def long_running_bench():
    import threading
    p = subprocess.Popen(smi + ["-lms", "200"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []  # (arrival time, line): shows whether nvidia-smi flushes each round into a pipe
    def read():
        for line in p.stdout:
            lines.append((time.monotonic(), line))
    threading.Thread(target=read, daemon=True).start()
    try:
        time.sleep(3); k0, n0, t0 = ticks(p.pid), len(lines), time.monotonic()
        time.sleep(10); k1, n1, t1 = ticks(p.pid), len(lines), time.monotonic()
        gpus = max(1, len(handles) or len(smi_read()))
        samples = (n1 - n0) / gpus
        bench["nvidia_smi_lms200_long_running"] = {
            "samples": samples, "seconds": t1 - t0, "cpu_ms_total": (k1 - k0) * 1e3 / hz,
            "cpu_ms_per_sample": (k1 - k0) * 1e3 / hz / samples if samples else None,
            "tick_ms": 1e3 / hz,
            "max_gap_between_lines_s": max((b[0] - a[0] for a, b in zip(lines[n0:n1], lines[n0 + 1:n1])), default=None),
            "first_lines": [l for _, l in lines[:4]]}
    finally:
        p.kill(); p.wait()
section("nvidia_smi_lms200_long_running", long_running_bench)

# One nvidia-smi process per sample (what simpler agents do).
def process_per_sample_bench():
    n = 20
    c0, t0 = cpu_children(), time.monotonic()
    for _ in range(n):
        subprocess.run(smi, capture_output=True, timeout=30)
    bench["nvidia_smi_process_per_sample"] = {"samples": n, "cpu_ms_per_sample": (cpu_children() - c0) * 1e3 / n,
                                              "wall_ms_per_sample": (time.monotonic() - t0) * 1e3 / n}
section("nvidia_smi_process_per_sample", process_per_sample_bench)
result["bench"] = bench
print(json.dumps(bench, indent=2))
if N:
    call(N.nvmlShutdown)
with open(os.path.join(out, "nvml-vs-smi.json"), "w") as f:
    json.dump(result, f, indent=2, default=str)
PY
rc=$?
echo "$(date -u +%FT%TZ) rc=$rc nvml-vs-smi.txt: python3 (NVML, benchmarks)" >>"$LOG"

note "done: $OUT"
ls -l "$OUT" | tee -a "$LOG"
