package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the agent's JVM in {@link AgentTerminationTest}: opens a container site, starts a long process in
 * it, prints {@code READY <container>} and waits to be terminated. Arguments: the workspace, the pip cache, and
 * optionally the {@link OrphanWatch} timeout and heartbeat in seconds.
 */
public final class SiteHolderMain {

    private SiteHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        SiteFixture fixture = new SiteFixture(Path.of(args[0]));
        OrphanWatch watch = args.length > 3 ? new OrphanWatch(Integer.parseInt(args[2]), Integer.parseInt(args[3]))
                : OrphanWatch.DEFAULT;
        DockerSettings settings = new DockerSettings("docker", ContainerRuntimeExtension.TEST_IMAGE, List.of(),
                List.of(), List.of(), List.of(), args[1], false, watch);
        ContainerSite site = (ContainerSite) new ContainerRunSiteFactory(settings).open(fixture.context());
        site.processes().start(ProcessSpec.of("sleep", "600"));
        System.out.println("READY " + site.containerName());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
