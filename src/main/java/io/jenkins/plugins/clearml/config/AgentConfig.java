package io.jenkins.plugins.clearml.config;

import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.client.ServerEndpoint;
import io.jenkins.plugins.clearml.container.DockerSettings;
import io.jenkins.plugins.clearml.python.PythonSettings;
import io.jenkins.plugins.clearml.vcs.GitSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The agent's effective configuration: {@code clearml.conf}, overridden by environment variables, overridden by
 * flags (see {@code ConfigLoader}).
 *
 * @param workerName     {@code agent.worker_name}, default the host name
 * @param workerId       {@code agent.worker_id}; empty means derived as the real agent does
 * @param environment    the top-level {@code environment} section, added to the task process
 * @param pingInterval   {@code agent.task_ping_interval_sec} (60 s)
 * @param pollInterval   abort test and queue poll period (5 s)
 * @param logFlushInterval how often buffered console lines are sent (at most 2 s)
 * @param statusReportInterval {@code workers.status_report} period (30 s)
 * @param configFile     the file read, if any; handed to the task as {@code CLEARML_CONFIG_FILE}
 * @param abortCallbackMaxTimeout {@code agent.abort_callback_max_timeout} (1800 s): the longest an aborted task
 *                       is left running to finish the abort callback its SDK registered
 */
public record AgentConfig(
        ServerEndpoint endpoint,
        Credentials credentials,
        String workerName,
        String workerId,
        GitSettings git,
        PythonSettings python,
        DockerSettings docker,
        Map<String, String> environment,
        Duration pingInterval,
        Duration pollInterval,
        Duration logFlushInterval,
        Duration statusReportInterval,
        String configFile,
        Duration abortCallbackMaxTimeout) {

    /** The real agent's default of {@code agent.abort_callback_max_timeout}. */
    public static final Duration DEFAULT_ABORT_CALLBACK_MAX_TIMEOUT = Duration.ofSeconds(1800);

    public AgentConfig {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        abortCallbackMaxTimeout = abortCallbackMaxTimeout == null || abortCallbackMaxTimeout.isNegative()
                ? DEFAULT_ABORT_CALLBACK_MAX_TIMEOUT : abortCallbackMaxTimeout;
    }

    /** With the default {@code agent.abort_callback_max_timeout}. */
    public AgentConfig(ServerEndpoint endpoint, Credentials credentials, String workerName, String workerId,
            GitSettings git, PythonSettings python, DockerSettings docker, Map<String, String> environment,
            Duration pingInterval, Duration pollInterval, Duration logFlushInterval, Duration statusReportInterval,
            String configFile) {
        this(endpoint, credentials, workerName, workerId, git, python, docker, environment, pingInterval,
                pollInterval, logFlushInterval, statusReportInterval, configFile, DEFAULT_ABORT_CALLBACK_MAX_TIMEOUT);
    }

    /** This configuration with another {@code agent.abort_callback_max_timeout}. */
    public AgentConfig withAbortCallbackMaxTimeout(Duration max) {
        return new AgentConfig(endpoint, credentials, workerName, workerId, git, python, docker, environment,
                pingInterval, pollInterval, logFlushInterval, statusReportInterval, configFile, max);
    }
}
