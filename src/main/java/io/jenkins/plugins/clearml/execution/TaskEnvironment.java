package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.vcs.GitSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The variables the real agent gives a task's process (section 3.6), split into plain ones and secrets. With
 * {@code CLEARML_TASK_ID} set, the ClearML SDK inside attaches to this task instead of creating one; with
 * {@code CLEARML_LOG_TASK_TO_BACKEND=0} it leaves the console to us.
 */
final class TaskEnvironment {

    /** Inherited variables that would mislead the task's process (from the real agent 3.x, plus a stray venv). */
    static final List<String> REMOVED = List.of("CLEARML_APT_INSTALL", "UV_CACHE_DIR", "VIRTUAL_ENV", "PYTHONHOME");

    private TaskEnvironment() {
    }

    static Map<String, String> plain(AgentConfig config, ExecutionPlan plan, String configFile, String logLevel) {
        Map<String, String> env = new LinkedHashMap<>(config.environment());
        twin(env, "TASK_ID", plan.taskId());
        twin(env, "LOG_LEVEL", logLevel);
        twin(env, "LOG_TASK_TO_BACKEND", "0");
        twin(env, "CONFIG_FILE", configFile);
        twin(env, "WORKER_ID", plan.workerId());
        env.put("CLEARML_API_HOST", config.endpoint().apiUrl());
        env.put("CLEARML_WEB_HOST", config.endpoint().webUrl());
        env.put("CLEARML_FILES_HOST", config.endpoint().filesUrl());
        List<String> gpus = plan.request().gpus();
        if (!gpus.isEmpty()) {
            String devices = String.join(",", gpus);
            env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
            env.put("NVIDIA_VISIBLE_DEVICES", devices);
            if (!devices.equals("all")) {
                env.put("CUDA_VISIBLE_DEVICES", devices);
            }
        }
        return env;
    }

    static Map<String, String> secrets(AgentConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLEARML_API_ACCESS_KEY", config.credentials().accessKey());
        env.put("CLEARML_API_SECRET_KEY", config.credentials().secretKey());
        GitSettings git = config.git();
        if (git != null && git.hasCredentials()) {
            env.put("CLEARML_AGENT_GIT_USER", git.gitUser());
            env.put("CLEARML_AGENT_GIT_PASS", git.gitPass());
        }
        return env;
    }

    /**
     * {@code PYTHONPATH}: the inherited value, then the working dir, the entry point's dir and the interpreter's own
     * {@code sys.path}, as the real agent builds it; duplicates and empty entries dropped.
     */
    static String pythonPath(String inherited, String workingDir, String entryDir, List<String> sysPath) {
        LinkedHashSet<String> parts = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        if (inherited != null) {
            all.addAll(List.of(inherited.split(":")));
        }
        all.add(workingDir);
        all.add(entryDir);
        all.addAll(sysPath);
        for (String p : all) {
            if (p != null && !p.isBlank()) {
                parts.add(p);
            }
        }
        return String.join(":", parts);
    }

    private static void twin(Map<String, String> env, String suffix, String value) {
        if (value != null) {
            env.put("CLEARML_" + suffix, value);
            env.put("TRAINS_" + suffix, value);
        }
    }
}
