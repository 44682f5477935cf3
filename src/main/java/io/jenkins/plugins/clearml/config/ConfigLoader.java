package io.jenkins.plugins.clearml.config;

import io.jenkins.plugins.clearml.node.ShellWords;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.client.ServerEndpoint;
import io.jenkins.plugins.clearml.container.DockerSettings;
import io.jenkins.plugins.clearml.container.OrphanWatch;
import io.jenkins.plugins.clearml.python.PythonSettings;
import io.jenkins.plugins.clearml.vcs.GitSettings;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the agent's configuration as the real agent does: {@code clearml.conf} (HOCON; the file named by
 * {@code --config-file}, else {@code CLEARML_CONFIG_FILE}, else {@code ~/clearml.conf} if present), overridden by
 * environment variables, overridden by {@link ConfigOverrides}. See docs/configuration.md for every key and variable.
 */
public final class ConfigLoader {

    /** The real agent's default image for docker mode (agent.conf, {@code agent.default_docker.image}). */
    public static final String DEFAULT_DOCKER_IMAGE = "nvidia/cuda:11.0.3-cudnn8-runtime-ubuntu20.04";

    private final Map<String, String> env;
    private final String home;
    private final String hostName;

    /**
     * @param env      the environment variables to honour (the node's)
     * @param home     the home folder {@code ~} stands for
     * @param hostName the default worker name
     */
    public ConfigLoader(Map<String, String> env, String home, String hostName) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.hostName = hostName;
    }

    /** The configuration of this JVM's user and machine. */
    public static ConfigLoader forThisMachine() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
        }
        return new ConfigLoader(System.getenv(), System.getProperty("user.home"), host);
    }

    public AgentConfig load(ConfigOverrides flags) throws ConfigException {
        return loadGuarded(flags, configFile(flags));
    }

    /** Environment variables and flags only, no file (the demo, which must not depend on the user's clearml.conf). */
    public AgentConfig loadWithoutFile(ConfigOverrides flags) throws ConfigException {
        return loadGuarded(flags, null);
    }

    /** Turns the library's and the records' complaints into messages that name what to fix. */
    private AgentConfig loadGuarded(ConfigOverrides flags, String file) throws ConfigException {
        try {
            return load(flags, file);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("The configuration in " + describe(file) + " has a wrong value: " + e.getMessage()
                    + ". Fix the key or the variable named.", e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private AgentConfig load(ConfigOverrides flags, String file) throws ConfigException {
        Config conf = file == null ? ConfigFactory.empty() : parse(file);
        Layers l = new Layers(conf);

        String apiHost = l.string(flags.apiHost(), List.of("CLEARML_API_HOST", "TRAINS_API_HOST"), "api.api_server", "");
        if (apiHost.isBlank()) {
            throw new ConfigException("No ClearML server is configured: set CLEARML_API_HOST to the API server's address "
                    + "(e.g. http://clearml.example.com:8008), or api.api_server in " + describe(file) + ".");
        }
        ServerEndpoint endpoint = new ServerEndpoint(apiHost,
                l.string(flags.webHost(), List.of("CLEARML_WEB_HOST", "TRAINS_WEB_HOST"), "api.web_server", ""),
                l.string(flags.filesHost(), List.of("CLEARML_FILES_HOST", "TRAINS_FILES_HOST"), "api.files_server", ""));
        Credentials credentials = new Credentials(
                l.string(flags.accessKey(), List.of("CLEARML_API_ACCESS_KEY", "TRAINS_API_ACCESS_KEY"),
                        "api.credentials.access_key", ""),
                l.string(flags.secretKey(), List.of("CLEARML_API_SECRET_KEY", "TRAINS_API_SECRET_KEY"),
                        "api.credentials.secret_key", ""));
        if (!credentials.isComplete()) {
            String missing = credentials.accessKey().isBlank() ? "CLEARML_API_ACCESS_KEY" : "CLEARML_API_SECRET_KEY";
            throw new ConfigException("No ClearML credentials are configured (" + missing + " is empty): set "
                    + "CLEARML_API_ACCESS_KEY and CLEARML_API_SECRET_KEY, or api.credentials.access_key and "
                    + "api.credentials.secret_key in " + describe(file)
                    + ". Create them in the ClearML web UI: Settings > Workspace > Create new credentials.");
        }

        String workerName = l.string(flags.workerName(), List.of("CLEARML_WORKER_NAME", "TRAINS_WORKER_NAME"),
                "agent.worker_name", "");
        String workerId = l.string(flags.workerId(), List.of("CLEARML_WORKER_ID", "TRAINS_WORKER_ID"),
                "agent.worker_id", "");

        return new AgentConfig(endpoint, credentials,
                workerName.isBlank() ? hostName : workerName,
                workerId,
                git(l),
                python(l),
                docker(l, flags),
                environment(conf, flags),
                Duration.ofSeconds(l.integer(List.of(), "agent.task_ping_interval_sec", 60)),
                Duration.ofSeconds(Math.max(1, l.integer(List.of("CLEARML_AGENT_QUEUE_POLL_FREQ_SEC"),
                        "agent.queue_poll_interval_sec", 5))),
                Duration.ofSeconds(2),
                Duration.ofSeconds(Math.max(1, l.integer(List.of("CLEARML_AGENT_STATUS_REPORT_FREQ_SEC"),
                        "agent.status_report_interval_sec", 30))),
                file,
                Duration.ofSeconds(Math.max(0, l.integer(List.of(), "agent.abort_callback_max_timeout",
                        (int) AgentConfig.DEFAULT_ABORT_CALLBACK_MAX_TIMEOUT.toSeconds()))));
    }

    private GitSettings git(Layers l) {
        boolean cacheEnabled = l.bool(List.of(), "agent.vcs_cache.enabled", true);
        String cachePath = l.path(List.of(), "agent.vcs_cache.path", "~/.clearml/vcs-cache");
        return new GitSettings(
                blankToNull(l.string(null, List.of("CLEARML_AGENT_GIT_USER", "TRAINS_AGENT_GIT_USER"), "agent.git_user", "")),
                blankToNull(l.string(null, List.of("CLEARML_AGENT_GIT_PASS", "TRAINS_AGENT_GIT_PASS"), "agent.git_pass", "")),
                blankToNull(l.string(null, List.of("CLEARML_AGENT_GIT_HOST", "TRAINS_AGENT_GIT_HOST"), "agent.git_host", "")),
                cacheEnabled && !cachePath.isBlank() ? cachePath : null,
                l.bool(List.of(), "agent.translate_ssh", true),
                l.bool(List.of(), "agent.force_git_ssh_protocol", false));
    }

    private PythonSettings python(Layers l) {
        String cache = l.path(List.of("CLEARML_AGENT_VENV_CACHE_PATH"), "agent.venvs_cache.path", "~/.clearml/venvs-cache");
        List<String> pipFlags = env("CLEARML_EXTRA_PIP_INSTALL_FLAGS") != null
                ? ShellWords.split(env("CLEARML_EXTRA_PIP_INSTALL_FLAGS"))
                : l.list("agent.package_manager.extra_pip_install_flags");
        return new PythonSettings(
                l.string(null, List.of(), "agent.python_binary", ""),
                l.path(List.of(), "agent.venvs_dir", "~/.clearml/venvs-builds"),
                cache.isBlank() ? null : cache,
                l.integer(List.of(), "agent.venvs_cache.max_entries", 10),
                l.list("agent.package_manager.extra_index_url"),
                pipFlags,
                l.bool(List.of("CLEARML_AGENT_FORCE_SYSTEM_SITE_PACKAGES"), "agent.package_manager.system_site_packages",
                        false));
    }

    private DockerSettings docker(Layers l, ConfigOverrides flags) {
        List<String> extra = env("CLEARML_AGENT_EXTRA_DOCKER_ARGS") != null
                ? ShellWords.split(env("CLEARML_AGENT_EXTRA_DOCKER_ARGS"))
                : l.list("agent.extra_docker_arguments");
        List<String> filters = env("CLEARML_AGENT_DOCKER_ARGS_FILTERS") != null
                ? ShellWords.split(env("CLEARML_AGENT_DOCKER_ARGS_FILTERS"))
                : l.list("agent.docker_args_filters");
        List<String> hidden = new ArrayList<>(l.list("agent.hide_docker_command_env_vars.extra_keys"));
        if (env("CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV") != null) {
            // space-separated, as the real agent reads it (clearml#1497)
            hidden.addAll(List.of(env("CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV").trim().split("\\s+")));
            hidden.removeIf(String::isBlank);
        }
        return new DockerSettings(
                "docker",
                l.string(flags.dockerImage(), List.of("CLEARML_DOCKER_IMAGE", "TRAINS_DOCKER_IMAGE"),
                        "agent.default_docker.image", DEFAULT_DOCKER_IMAGE),
                l.list("agent.default_docker.arguments"),
                extra,
                filters,
                hidden,
                l.path(List.of(), "agent.docker_pip_cache", "~/.clearml/pip-cache"),
                l.bool(List.of(), "agent.docker_force_pull", false),
                new OrphanWatch(l.integer(List.of(), OrphanWatch.TIMEOUT_KEY, OrphanWatch.DEFAULT.timeoutSeconds()),
                        l.integer(List.of(), OrphanWatch.HEARTBEAT_KEY, OrphanWatch.DEFAULT.heartbeatSeconds())));
    }

    private static Map<String, String> environment(Config conf, ConfigOverrides flags) {
        Map<String, String> result = new LinkedHashMap<>();
        if (conf.hasPath("environment") && conf.getValue("environment").valueType() == ConfigValueType.OBJECT) {
            for (Map.Entry<String, ConfigValue> e : conf.getObject("environment").entrySet()) {
                Object v = e.getValue().unwrapped();
                result.put(e.getKey(), v == null ? "" : v.toString());
            }
        }
        result.putAll(flags.environment());
        return result;
    }

    // ---- the file ---------------------------------------------------------------------------------------------

    private String configFile(ConfigOverrides flags) throws ConfigException {
        String explicit = firstNonBlank(flags.configFile(), env("CLEARML_CONFIG_FILE"), env("TRAINS_CONFIG_FILE"));
        if (explicit != null) {
            String path = expandHome(explicit);
            if (!new File(path).isFile()) {
                throw new ConfigException("The configuration file " + path + " does not exist: fix --config-file or "
                        + "CLEARML_CONFIG_FILE, or unset them to use ~/clearml.conf and environment variables.");
            }
            return path;
        }
        File defaultFile = new File(home, "clearml.conf");
        return defaultFile.isFile() ? defaultFile.getPath() : null;
    }

    private Config parse(String file) throws ConfigException {
        try {
            Map<String, Object> envValues = new LinkedHashMap<>(env);
            envValues.putIfAbsent("HOME", home);
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(file));
            Config parsed = ConfigFactory.parseString(UnquotedUrls.quote(text),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription(file));
            // ${HOME}, ${?CLEARML_X}... resolve against the node's environment, not this JVM's.
            // The file's own keys first (self-references such as `a += x`), then the node's variables, as fallback.
            Config resolved = parsed.withFallback(ConfigValueFactory.fromMap(envValues).toConfig())
                    .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false).setAllowUnresolved(false));
            return resolved.withOnlyPath("api").withFallback(resolved.hasPath("agent") ? resolved.withOnlyPath("agent")
                    : ConfigFactory.empty()).withFallback(resolved.hasPath("environment")
                    ? resolved.withOnlyPath("environment") : ConfigFactory.empty());
        } catch (java.io.IOException e) {
            throw new ConfigException("The configuration file " + file + " could not be read (" + e.getMessage()
                    + "): check its permissions, or point CLEARML_CONFIG_FILE at another one.", e);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("The configuration file " + file + " could not be read: " + e.getMessage()
                    + ". Fix the file (HOCON syntax, as written by clearml-init) or point CLEARML_CONFIG_FILE "
                    + "at another one.", e);
        }
    }

    private static String describe(String file) {
        return file == null ? "~/clearml.conf" : file;
    }

    // ---- layered lookups --------------------------------------------------------------------------------------

    private String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private String expandHome(String path) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home + path.substring(1);
        }
        return path;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Flag, then the first set variable, then the file, then the default. */
    private final class Layers {
        private final Config conf;

        Layers(Config conf) {
            this.conf = conf;
        }

        String string(String flag, List<String> envNames, String key, String fallback) {
            if (flag != null && !flag.isBlank()) {
                return flag.trim();
            }
            for (String name : envNames) {
                if (env(name) != null) {
                    return env(name).trim();
                }
            }
            if (conf.hasPath(key)) {
                Object v = conf.getValue(key).unwrapped();
                if (v != null) {
                    return v.toString().trim();
                }
            }
            return fallback;
        }

        String path(List<String> envNames, String key, String fallback) {
            String value = string(null, envNames, key, fallback);
            return value.isBlank() ? "" : expandHome(value);
        }

        boolean bool(List<String> envNames, String key, boolean fallback) {
            String v = string(null, envNames, key, Boolean.toString(fallback)).toLowerCase(java.util.Locale.ROOT);
            return v.equals("true") || v.equals("1") || v.equals("yes") || v.equals("on");
        }

        int integer(List<String> envNames, String key, int fallback) {
            String v = string(null, envNames, key, Integer.toString(fallback));
            try {
                return (int) Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new BadValue(key, "expected a number, got '" + v + "'");
            }
        }

        /** A list key; a single string is shell-split (the real agent accepts both). */
        List<String> list(String key) {
            if (!conf.hasPath(key)) {
                return List.of();
            }
            ConfigValue value = conf.getValue(key);
            if (value.valueType() == ConfigValueType.LIST) {
                List<String> out = new ArrayList<>();
                for (Object o : (List<?>) value.unwrapped()) {
                    if (o != null) {
                        out.add(o.toString());
                    }
                }
                return out;
            }
            Object v = value.unwrapped();
            return v == null ? List.of() : ShellWords.split(v.toString());
        }
    }
}
