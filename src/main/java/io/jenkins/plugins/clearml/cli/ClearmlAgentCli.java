package io.jenkins.plugins.clearml.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar clearml-agent-cli.jar <command>}: the engine outside Jenkins, for use and debugging. */
@Command(
        name = "clearml-agent-cli",
        mixinStandardHelpOptions = true,
        versionProvider = ClearmlAgentCli.Version.class,
        description = "Runs ClearML tasks with the same engine as the ClearML for Jenkins plugin.",
        subcommands = {
            // one line per command; keep them sorted
            DaemonCommand.class,
            DemoCommand.class,
            ExecuteCommand.class,
            NodeStatsCommand.class,
        })
public final class ClearmlAgentCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupWarmup.startInBackground(); // while picocli and the configuration take the main thread
        System.exit(new CommandLine(new ClearmlAgentCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ClearmlAgentCli.class.getPackage().getImplementationVersion();
            return new String[] {"clearml-agent-cli " + (v == null ? "development" : v)};
        }
    }
}
