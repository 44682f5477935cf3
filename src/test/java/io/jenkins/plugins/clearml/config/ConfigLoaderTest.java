package io.jenkins.plugins.clearml.config;

import io.jenkins.plugins.clearml.container.OrphanWatch;
import io.jenkins.plugins.clearml.node.ShellWords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path home;

    /** As clearml-init writes it, plus an agent section as administrators extend it (HOCON features included). */
    static final String REALISTIC = """
            # ClearML SDK configuration file
            api {
                # Notice: 'host' is the api server (default port 8008), not the web server.
                api_server: https://api.clear.example.com
                web_server: https://app.clear.example.com
                files_server: https://files.clear.example.com
                # Credentials are generated using the webapp, https://app.clear.example.com/settings
                # Override with os environment: CLEARML_API_ACCESS_KEY / CLEARML_API_SECRET_KEY
                credentials {"access_key": "ABCDEFGHIJKLMNOPQRST", "secret_key": "s3cr3t/with+chars=="}
            }
            sdk {
                storage { cache { default_base_dir: "~/.clearml/cache" } }
                development { default_output_uri: "" }
            }
            agent {
                worker_name: "gpu-node-7"
                git_user: "ci-bot"
                git_pass: ${?GIT_TOKEN}
                venvs_dir = ${HOME}/.clearml/venvs-builds
                venvs_cache: {
                    max_entries: 20
                    free_space_threshold_gb: 2.0
                    path: ~/.clearml/venvs-cache
                }
                vcs_cache: { enabled: true, path: ~/.clearml/vcs-cache }
                package_manager: {
                    type: pip,
                    extra_index_url: ["https://pypi.internal.example.com/simple"]
                    extra_pip_install_flags: ["--no-cache-dir"]
                    system_site_packages: false
                }
                default_docker: {
                    image: "nvidia/cuda:12.1.0-runtime-ubuntu22.04"
                    arguments: ["--ipc=host", ]
                }
                extra_docker_arguments: ["--shm-size=8g"]
                hide_docker_command_env_vars { enabled: true, extra_keys: ["MY_TOKEN"] }
                task_ping_interval_sec: 30
                abort_callback_max_timeout: 600
            }
            agent.default_docker.arguments += "--privileged=false"
            environment {
                HF_HOME: /data/hf
                WANDB_MODE: "offline"
            }
            """;

    private Path writeConf(String text) throws Exception {
        Path f = home.resolve("clearml.conf");
        Files.writeString(f, text);
        return f;
    }

    private ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env, home.toString(), "this-host");
    }

    @Test
    void readsARealisticClearmlConf() throws Exception {
        writeConf(REALISTIC);
        AgentConfig c = loader(Map.of("GIT_TOKEN", "tok")).load(ConfigOverrides.NONE);

        assertThat(c.endpoint().apiUrl()).isEqualTo("https://api.clear.example.com");
        assertThat(c.endpoint().webUrl()).isEqualTo("https://app.clear.example.com");
        assertThat(c.endpoint().filesUrl()).isEqualTo("https://files.clear.example.com");
        assertThat(c.credentials().accessKey()).isEqualTo("ABCDEFGHIJKLMNOPQRST");
        assertThat(c.credentials().secretKey()).isEqualTo("s3cr3t/with+chars==");
        assertThat(c.workerName()).isEqualTo("gpu-node-7");
        assertThat(c.workerId()).isEmpty();
        assertThat(c.git().gitUser()).isEqualTo("ci-bot");
        assertThat(c.git().gitPass()).isEqualTo("tok");
        assertThat(c.git().vcsCacheDir()).isEqualTo(home + "/.clearml/vcs-cache");
        assertThat(c.python().venvsDir()).isEqualTo(home + "/.clearml/venvs-builds");
        assertThat(c.python().venvsCacheDir()).isEqualTo(home + "/.clearml/venvs-cache");
        assertThat(c.python().venvsCacheMaxEntries()).isEqualTo(20);
        assertThat(c.python().extraIndexUrls()).containsExactly("https://pypi.internal.example.com/simple");
        assertThat(c.python().extraPipInstallFlags()).containsExactly("--no-cache-dir");
        assertThat(c.docker().defaultImage()).isEqualTo("nvidia/cuda:12.1.0-runtime-ubuntu22.04");
        assertThat(c.docker().defaultArguments()).containsExactly("--ipc=host", "--privileged=false");
        assertThat(c.docker().extraArguments()).containsExactly("--shm-size=8g");
        assertThat(c.docker().hiddenEnvNames()).containsExactly("MY_TOKEN");
        assertThat(c.environment()).containsEntry("HF_HOME", "/data/hf").containsEntry("WANDB_MODE", "offline");
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.abortCallbackMaxTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.statusReportInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.logFlushInterval()).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(c.configFile()).isEqualTo(home.resolve("clearml.conf").toString());
    }

    @Test
    void variablesWinOverTheFileAndFlagsWinOverVariables() throws Exception {
        writeConf(REALISTIC);
        Map<String, String> env = new HashMap<>();
        env.put("CLEARML_API_HOST", "http://env-server:8008");
        env.put("CLEARML_API_ACCESS_KEY", "ENVKEY");
        env.put("CLEARML_API_SECRET_KEY", "envsecret");
        env.put("CLEARML_WORKER_ID", "env-worker:0");
        env.put("CLEARML_WORKER_NAME", "env-name");
        env.put("CLEARML_AGENT_GIT_USER", "env-git-user");
        env.put("CLEARML_AGENT_GIT_PASS", "env-git-pass");
        env.put("CLEARML_AGENT_GIT_HOST", "git.example.com");
        env.put("CLEARML_AGENT_VENV_CACHE_PATH", "/cache/venvs");
        env.put("CLEARML_EXTRA_PIP_INSTALL_FLAGS", "--pre --no-deps");
        env.put("CLEARML_DOCKER_IMAGE", "python:3.11");
        env.put("CLEARML_AGENT_EXTRA_DOCKER_ARGS", "--memory 8g --cpus='4'");
        env.put("CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV", "AWS_SECRET  HF_TOKEN");

        AgentConfig fromEnv = loader(env).load(ConfigOverrides.NONE);
        assertThat(fromEnv.endpoint().apiUrl()).isEqualTo("http://env-server:8008");
        assertThat(fromEnv.endpoint().webUrl()).isEqualTo("https://app.clear.example.com");
        assertThat(fromEnv.credentials().accessKey()).isEqualTo("ENVKEY");
        assertThat(fromEnv.workerId()).isEqualTo("env-worker:0");
        assertThat(fromEnv.workerName()).isEqualTo("env-name");
        assertThat(fromEnv.git().gitUser()).isEqualTo("env-git-user");
        assertThat(fromEnv.git().gitPass()).isEqualTo("env-git-pass");
        assertThat(fromEnv.git().gitHost()).isEqualTo("git.example.com");
        assertThat(fromEnv.python().venvsCacheDir()).isEqualTo("/cache/venvs");
        assertThat(fromEnv.python().extraPipInstallFlags()).containsExactly("--pre", "--no-deps");
        assertThat(fromEnv.docker().defaultImage()).isEqualTo("python:3.11");
        assertThat(fromEnv.docker().extraArguments()).containsExactly("--memory", "8g", "--cpus=4");
        assertThat(fromEnv.docker().hiddenEnvNames()).containsExactly("MY_TOKEN", "AWS_SECRET", "HF_TOKEN");

        AgentConfig fromFlags = loader(env).load(new ConfigOverrides(null, "http://flag-server:8008", null, null,
                "FLAGKEY", "flagsecret", "flag-worker", null, "python:3.12", Map.of("EXTRA", "1")));
        assertThat(fromFlags.endpoint().apiUrl()).isEqualTo("http://flag-server:8008");
        assertThat(fromFlags.endpoint().webUrl()).isEqualTo("https://app.clear.example.com");
        assertThat(fromFlags.credentials().accessKey()).isEqualTo("FLAGKEY");
        assertThat(fromFlags.workerId()).isEqualTo("flag-worker");
        assertThat(fromFlags.docker().defaultImage()).isEqualTo("python:3.12");
        assertThat(fromFlags.environment()).containsEntry("EXTRA", "1").containsEntry("HF_HOME", "/data/hf");
    }

    @Test
    void variablesAloneAreEnoughWithDefaultsLikeTheRealAgent() throws Exception {
        AgentConfig c = loader(Map.of("CLEARML_API_HOST", "http://localhost:8008", "CLEARML_API_ACCESS_KEY", "K",
                "CLEARML_API_SECRET_KEY", "S")).load(ConfigOverrides.NONE);
        assertThat(c.configFile()).isNull();
        assertThat(c.endpoint().webUrl()).isEqualTo("http://localhost:8080");
        assertThat(c.endpoint().filesUrl()).isEqualTo("http://localhost:8081");
        assertThat(c.workerName()).isEqualTo("this-host");
        assertThat(c.python().venvsDir()).isEqualTo(home + "/.clearml/venvs-builds");
        assertThat(c.git().vcsCacheDir()).isEqualTo(home + "/.clearml/vcs-cache");
        assertThat(c.git().translateSsh()).isTrue();
        assertThat(c.docker().defaultImage()).isEqualTo(ConfigLoader.DEFAULT_DOCKER_IMAGE);
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.abortCallbackMaxTimeout()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(c.environment()).isEmpty();
    }

    @Test
    void configFileVariableAndFlagNameTheFile() throws Exception {
        Path other = home.resolve("elsewhere.conf");
        Files.writeString(other, "api { api_server: \"http://other:8008\", credentials { access_key: A, secret_key: B } }");
        AgentConfig viaEnv = loader(Map.of("CLEARML_CONFIG_FILE", other.toString())).load(ConfigOverrides.NONE);
        assertThat(viaEnv.endpoint().apiUrl()).isEqualTo("http://other:8008");
        assertThat(viaEnv.configFile()).isEqualTo(other.toString());
        AgentConfig viaFlag = loader(Map.of()).load(ConfigOverrides.NONE.withConfigFile(other.toString()));
        assertThat(viaFlag.credentials().secretKey()).isEqualTo("B");
    }

    @Test
    void missingServerNamesTheVariableToSet() {
        assertThatThrownBy(() -> loader(Map.of()).load(ConfigOverrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CLEARML_API_HOST").hasMessageContaining("api.api_server");
    }

    @Test
    void missingCredentialsNameTheVariablesToSet() {
        assertThatThrownBy(() -> loader(Map.of("CLEARML_API_HOST", "http://h:8008", "CLEARML_API_ACCESS_KEY", "K"))
                .load(ConfigOverrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CLEARML_API_SECRET_KEY is empty")
                .hasMessageContaining("api.credentials.access_key");
    }

    @Test
    void missingOrBrokenFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> loader(Map.of("CLEARML_CONFIG_FILE", "/no/such/clearml.conf")).load(ConfigOverrides.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/no/such/clearml.conf")
                .hasMessageContaining("does not exist");
        writeConf("api { api_server: \"http://h:8008\" \n credentials { access_key: ");
        assertThatThrownBy(() -> loader(Map.of()).load(ConfigOverrides.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clearml.conf could not be read");
        writeConf("api { api_server: \"http://h:8008\", credentials { access_key: A, secret_key: B } }\n"
                + "agent { task_ping_interval_sec: soon }");
        assertThatThrownBy(() -> loader(Map.of()).load(ConfigOverrides.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("task_ping_interval_sec");
    }

    @Test
    void orphanedContainerTimeoutIsOursWithBounds() throws Exception {
        Map<String, String> env = Map.of("CLEARML_API_HOST", "http://h:8008", "CLEARML_API_ACCESS_KEY", "K",
                "CLEARML_API_SECRET_KEY", "S");
        assertThat(loader(env).load(ConfigOverrides.NONE).docker().orphanWatch())
                .isEqualTo(new OrphanWatch(60, 5));
        writeConf("agent { docker_orphan_timeout_sec: 300, docker_heartbeat_interval_sec: 10 }");
        assertThat(loader(env).load(ConfigOverrides.NONE).docker().orphanWatch())
                .isEqualTo(new OrphanWatch(300, 10));
        writeConf("agent { docker_orphan_timeout_sec: 20, docker_heartbeat_interval_sec: 10 }");
        assertThatThrownBy(() -> loader(env).load(ConfigOverrides.NONE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent.docker_orphan_timeout_sec is 20")
                .hasMessageContaining("more than 3 times agent.docker_heartbeat_interval_sec (10 s)");
        writeConf("agent { docker_heartbeat_interval_sec: 0 }");
        assertThatThrownBy(() -> loader(env).load(ConfigOverrides.NONE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent.docker_heartbeat_interval_sec is 0: it must be at least 1");
    }

    @Test
    void shellWordsSplitLikeAShell() {
        assertThat(ShellWords.split("-e A=1 --label 'a b' \"c\\\"d\" e\\ f")).containsExactly("-e", "A=1", "--label",
                "a b", "c\"d", "e f");
        assertThat(ShellWords.split("  ")).isEqualTo(List.of());
    }
}
