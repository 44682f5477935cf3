package io.jenkins.plugins.clearml.metrics;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GPU readings from NVML ({@code libnvidia-ml}, the library under nvidia-smi) through JNA: a few microseconds
 * per GPU and no process. Only for a node whose JVM is this one: a remote Jenkins agent is read with
 * {@link NvidiaSmiGpuSource} instead. Memory figures use {@code nvmlDeviceGetMemoryInfo_v2} when the driver has
 * it, whose "used" leaves out the memory the driver reserves, as nvidia-smi shows it since driver 510.
 */
final class NvmlGpuSource implements GpuSource {

    private static final Logger LOG = Logger.getLogger(NvmlGpuSource.class.getName());

    static final int NVML_SUCCESS = 0;
    static final int NVML_TEMPERATURE_GPU = 0;
    /** {@code nvmlMemory_v2}: {@code sizeof(nvmlMemory_v2_t) | 2 << 24}; the struct is 40 bytes. */
    static final int NVML_MEMORY_V2 = 40 | (2 << 24);
    private static final int UUID_BUFFER = 96;

    /** The NVML calls the source makes; names and signatures as in {@code nvml.h}. */
    interface Nvml extends Library {
        int nvmlInit_v2();

        int nvmlShutdown();

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

        /** {@code nvmlUtilization_t}: unsigned int gpu, memory. */
        int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization);

        /** {@code nvmlMemory_t}: unsigned long long total, free, used. */
        int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory);

        /** {@code nvmlMemory_v2_t}: unsigned int version; unsigned long long total, reserved, free, used. */
        int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);

        int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

        int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

        int nvmlDeviceGetFanSpeed(Pointer device, IntByReference percent);
    }

    private record Device(int index, Pointer handle, String uuid) {
    }

    private final Nvml nvml;
    private final List<Device> devices;
    private final Memory utilization = new Memory(8);
    private final Memory memory = new Memory(40);
    private final IntByReference value = new IntByReference();
    private boolean memoryV2 = true;
    private int failures;
    private boolean closed;

    private NvmlGpuSource(Nvml nvml, List<Device> devices) {
        this.nvml = nvml;
        this.devices = devices;
    }

    /**
     * Loads NVML and lists the GPUs; null, without error, when the library is not there, does not start (no driver)
     * or sees no GPU.
     *
     * @param library {@code nvidia-ml} to search the usual places, or a file path (tests)
     */
    static NvmlGpuSource open(String library) {
        Nvml nvml = load(library);
        if (nvml == null) {
            return null;
        }
        try {
            if (nvml.nvmlInit_v2() != NVML_SUCCESS) {
                return null;
            }
            IntByReference count = new IntByReference();
            if (nvml.nvmlDeviceGetCount_v2(count) != NVML_SUCCESS || count.getValue() <= 0) {
                nvml.nvmlShutdown();
                return null;
            }
            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < count.getValue(); i++) {
                PointerByReference handle = new PointerByReference();
                if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) != NVML_SUCCESS) {
                    continue; // e.g. a GPU that fell off the bus: report the others
                }
                byte[] uuid = new byte[UUID_BUFFER];
                String id = nvml.nvmlDeviceGetUUID(handle.getValue(), uuid, uuid.length) == NVML_SUCCESS
                        ? Native.toString(uuid, StandardCharsets.US_ASCII.name()) : null;
                devices.add(new Device(i, handle.getValue(), id));
            }
            return new NvmlGpuSource(nvml, List.copyOf(devices));
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "NVML could not be used", e);
            return null;
        }
    }

    private static Nvml load(String library) {
        List<String> names = library.equals("nvidia-ml") ? List.of("nvidia-ml", "libnvidia-ml.so.1") : List.of(library);
        for (String name : names) {
            try {
                return Native.load(name, Nvml.class);
            } catch (LinkageError | RuntimeException e) {
                LOG.log(Level.FINEST, "no " + name, e);
            }
        }
        return null;
    }

    @Override
    public synchronized List<GpuReading> read() {
        if (closed) {
            return List.of();
        }
        List<GpuReading> readings = new ArrayList<>(devices.size());
        try {
            for (Device d : devices) {
                readings.add(read(d));
            }
            failures = 0;
        } catch (LinkageError | RuntimeException e) {
            // The agent turns GPU monitoring off after three failed readings in a row; so do we.
            if (++failures >= 3) {
                LOG.log(Level.WARNING, "NVML failed three times in a row; GPU monitoring is off", e);
                close();
            }
            return List.of();
        }
        return readings;
    }

    private GpuReading read(Device d) {
        Double util = null;
        if (nvml.nvmlDeviceGetUtilizationRates(d.handle(), utilization) == NVML_SUCCESS) {
            util = (double) Integer.toUnsignedLong(utilization.getInt(0));
        }
        Double used = null;
        Double total = null;
        if (memoryV2) {
            memory.clear();
            memory.setInt(0, NVML_MEMORY_V2);
            try {
                if (nvml.nvmlDeviceGetMemoryInfo_v2(d.handle(), memory) == NVML_SUCCESS) {
                    total = mib(memory.getLong(8));
                    used = mib(memory.getLong(32));
                }
            } catch (UnsatisfiedLinkError e) {
                memoryV2 = false; // driver before 510
            }
        }
        if (used == null && nvml.nvmlDeviceGetMemoryInfo(d.handle(), memory) == NVML_SUCCESS) {
            total = mib(memory.getLong(0));
            used = mib(memory.getLong(16));
        }
        Double temp = intValue(nvml.nvmlDeviceGetTemperature(d.handle(), NVML_TEMPERATURE_GPU, value));
        Double milliwatts = intValue(nvml.nvmlDeviceGetPowerUsage(d.handle(), value));
        Double fan = intValue(nvml.nvmlDeviceGetFanSpeed(d.handle(), value));
        return new GpuReading(d.index(), d.uuid(), util, used, total, temp,
                milliwatts == null ? null : milliwatts / 1000.0, fan);
    }

    private Double intValue(int result) {
        return result == NVML_SUCCESS ? (double) Integer.toUnsignedLong(value.getValue()) : null;
    }

    /** Bytes to MiB, as nvidia-smi prints memory (whole MiB, rounded down). */
    private static double mib(long bytes) {
        return Math.floor(bytes / (double) (1 << 20));
    }

    @Override
    public String name() {
        return "nvml";
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                nvml.nvmlShutdown();
            } catch (LinkageError | RuntimeException e) {
                LOG.log(Level.FINE, "nvmlShutdown failed", e);
            }
        }
    }
}
