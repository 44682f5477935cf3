package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.config.AgentConfig;
import java.io.IOException;
import java.util.Map;

/**
 * Works out the task process's variables and, when the agent was configured without a file (variables only),
 * writes an owner-only {@code clearml.conf} into the run folder for {@code CLEARML_CONFIG_FILE}, as the real agent
 * hands its task a configuration file.
 */
final class ComposeEnvironment implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        AgentConfig config = ctx.config();
        String configFile = config.configFile();
        if (configFile == null || configFile.isBlank()) {
            configFile = ctx.node().files().resolve(plan.runDir(), "clearml.conf");
            try {
                ctx.node().files().writeString(configFile, generatedConfig(config), true);
            } catch (IOException e) {
                throw new StepFailure("cannot write configuration", "Could not write " + configFile + " ("
                        + e.getMessage() + "): check that the agent's user can write to " + plan.runDir() + ".", e);
            }
        }
        Map<String, String> env = TaskEnvironment.plain(config, plan, configFile, ctx.options().logLevel());
        return chain.proceed(plan.withEnvironment(env, TaskEnvironment.secrets(config)));
    }

    static String generatedConfig(AgentConfig config) {
        return "# Written by the ClearML agent for this run; deleted when the run ends.\n"
                + "api {\n"
                + "  api_server: " + quote(config.endpoint().apiUrl()) + "\n"
                + "  web_server: " + quote(config.endpoint().webUrl()) + "\n"
                + "  files_server: " + quote(config.endpoint().filesUrl()) + "\n"
                + "  credentials {\n"
                + "    access_key: " + quote(config.credentials().accessKey()) + "\n"
                + "    secret_key: " + quote(config.credentials().secretKey()) + "\n"
                + "  }\n"
                + "}\n";
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : (value == null ? "" : value).toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
