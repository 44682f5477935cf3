/*
 * A stand-in for libnvidia-ml on a machine without a GPU, for testing the plugin's JNA binding (symbol names,
 * argument passing, struct layouts as in nvml.h). Two GPUs: GPU 0 answers everything; GPU 1 is a datacenter
 * board without fan and, for the test, without power reading. Build with -DNO_MEMORY_V2 for a pre-510 driver.
 */
#include <string.h>

typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_v2_t;

#define NVML_SUCCESS 0
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_UNINITIALIZED 1
#define MIB (1024ULL * 1024ULL)

static int initialised = 0;
static int devices[2] = {0, 1};

int nvmlInit_v2(void) { initialised = 1; return NVML_SUCCESS; }
int nvmlShutdown(void) { initialised = 0; return NVML_SUCCESS; }

int nvmlDeviceGetCount_v2(unsigned int *count) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    *count = 2;
    return NVML_SUCCESS;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (index > 1) return NVML_ERROR_INVALID_ARGUMENT;
    *device = &devices[index];
    return NVML_SUCCESS;
}

static int which(void *device) { return *(int *) device; }

int nvmlDeviceGetUUID(void *device, char *uuid, unsigned int length) {
    const char *id = which(device) == 0 ? "GPU-0a0a0a0a-1111-2222-3333-444444444444"
                                        : "GPU-1b1b1b1b-5555-6666-7777-888888888888";
    if (length < strlen(id) + 1) return NVML_ERROR_INVALID_ARGUMENT;
    strcpy(uuid, id);
    return NVML_SUCCESS;
}

int nvmlDeviceGetUtilizationRates(void *device, nvmlUtilization_t *u) {
    u->gpu = which(device) == 0 ? 97 : 0;
    u->memory = 40;
    return NVML_SUCCESS;
}

/* v1 "used" includes the memory the driver reserves; v2 leaves it out. */
int nvmlDeviceGetMemoryInfo(void *device, nvmlMemory_t *m) {
    m->total = 143771ULL * MIB;
    m->used = (which(device) == 0 ? 70000ULL : 0ULL) * MIB + 512ULL * MIB;
    m->free = m->total - m->used;
    return NVML_SUCCESS;
}

#ifndef NO_MEMORY_V2
int nvmlDeviceGetMemoryInfo_v2(void *device, nvmlMemory_v2_t *m) {
    if (m->version != (sizeof(nvmlMemory_v2_t) | (2 << 24))) return NVML_ERROR_INVALID_ARGUMENT;
    m->total = 143771ULL * MIB;
    m->reserved = 512ULL * MIB;
    m->used = (which(device) == 0 ? 70000ULL : 0ULL) * MIB + 123456ULL; /* not a whole MiB: rounded down */
    m->free = m->total - m->reserved - m->used;
    return NVML_SUCCESS;
}
#endif

int nvmlDeviceGetTemperature(void *device, int sensor, unsigned int *temp) {
    if (sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temp = which(device) == 0 ? 61 : 30;
    return NVML_SUCCESS;
}

int nvmlDeviceGetPowerUsage(void *device, unsigned int *milliwatts) {
    if (which(device) == 1) return NVML_ERROR_NOT_SUPPORTED;
    *milliwatts = 612400;
    return NVML_SUCCESS;
}

int nvmlDeviceGetFanSpeed(void *device, unsigned int *speed) {
    (void) device;
    (void) speed;
    return NVML_ERROR_NOT_SUPPORTED;
}
