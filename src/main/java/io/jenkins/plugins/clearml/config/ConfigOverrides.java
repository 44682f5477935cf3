package io.jenkins.plugins.clearml.config;

import java.util.Map;

/**
 * Values given on the command line (or in the Jenkins global configuration): they win over environment variables,
 * which win over {@code clearml.conf}. A {@code null} field leaves the lower layers in charge.
 *
 * @param configFile  the configuration file to read instead of {@code CLEARML_CONFIG_FILE} / {@code ~/clearml.conf}
 * @param environment extra {@code environment} section entries
 */
public record ConfigOverrides(
        String configFile,
        String apiHost,
        String webHost,
        String filesHost,
        String accessKey,
        String secretKey,
        String workerId,
        String workerName,
        String dockerImage,
        Map<String, String> environment) {

    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null, null, null, null, null, null,
            Map.of());

    public ConfigOverrides {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    public ConfigOverrides withConfigFile(String file) {
        return new ConfigOverrides(file, apiHost, webHost, filesHost, accessKey, secretKey, workerId, workerName,
                dockerImage, environment);
    }

    public ConfigOverrides withServer(String api, String access, String secret) {
        return new ConfigOverrides(configFile, api, webHost, filesHost, access, secret, workerId, workerName,
                dockerImage, environment);
    }

    public ConfigOverrides withWorkerId(String id) {
        return new ConfigOverrides(configFile, apiHost, webHost, filesHost, accessKey, secretKey, id, workerName,
                dockerImage, environment);
    }

    public ConfigOverrides withDockerImage(String image) {
        return new ConfigOverrides(configFile, apiHost, webHost, filesHost, accessKey, secretKey, workerId, workerName,
                image, environment);
    }
}
