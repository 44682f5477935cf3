package io.jenkins.plugins.clearml.cloud;

import hudson.model.FreeStyleProject;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.dispatch.DispatchSettings;
import io.jenkins.plugins.clearml.dispatch.DispatchTemplate;
import io.jenkins.plugins.clearml.dispatch.Dispatcher;
import io.jenkins.plugins.clearml.dispatch.DispatcherStatus;
import io.jenkins.plugins.clearml.dispatch.HandOffJournal;
import io.jenkins.plugins.clearml.dispatch.LabelAdmission;
import io.jenkins.plugins.clearml.dispatch.NodeLossPolicy;
import io.jenkins.plugins.clearml.dispatch.QueueOrder;
import io.jenkins.plugins.clearml.dispatch.QueueResolver;
import io.jenkins.plugins.clearml.jenkins.AgentConfigFactory;
import io.jenkins.plugins.clearml.jenkins.ClearmlGlobalConfiguration;
import io.jenkins.plugins.clearml.jenkins.CredentialLookup;
import io.jenkins.plugins.clearml.jenkins.JenkinsCredentials;
import io.jenkins.plugins.clearml.jenkins.NodeFacts;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * A running ClearML Queue Cloud: its client, its dispatcher (the plain-Java core) with {@link LabelAdmission} over
 * the shared Jenkins node pool, and the runner that hands tasks to the Jenkins queue as builds of the cloud's job.
 * Started and stopped by {@link QueueCloudReconciler} as clouds are added, changed or removed.
 */
final class QueueCloudService {

    private static final Logger LOG = Logger.getLogger(QueueCloudService.class.getName());

    private final ClearmlQueueCloud cloud;
    private final PluginSettings plugin;
    private final ServerSettings server;
    private final Credentials keys;
    private final ClearMLClient client;
    private final LabelAdmission admission;
    private final JenkinsQueueRunner runner;
    private final Dispatcher dispatcher;

    private QueueCloudService(ClearmlQueueCloud cloud) throws UserInputException, ClearMLException, IOException {
        this.cloud = cloud;
        this.plugin = ClearmlGlobalConfiguration.get().toSettings();
        this.server = plugin.resolveServer(cloud.getServer());
        CredentialLookup.Result found = JenkinsCredentials.system().find(server.credentialsId());
        if (!(found instanceof CredentialLookup.Found keyPair)) {
            throw new UserInputException("The credentials '" + server.credentialsId() + "' of ClearML server '"
                    + server.name() + "' are missing or not a username with password (access key / secret key): fix "
                    + "them in " + PluginSettings.CONFIG_PAGE + ".");
        }
        this.keys = new Credentials(keyPair.username(), keyPair.password());
        job(); // before anything is taken off a queue: a job name in the way stops the cloud here, loudly
        this.client = new ClearMLClient(ClientSettings.of(server.endpoint(), keys, "jenkins-" + cloud.name));
        client.login();
        QueueResolver resolver = new QueueResolver(client);
        List<DispatchTemplate> templates = new ArrayList<>();
        for (QueueTemplate t : cloud.getTemplates()) {
            try {
                templates.add(t.toDispatchTemplate(resolver.resolve(t.queueList())));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("ClearML Queue Cloud '" + cloud.name + "': " + e.getMessage());
            }
        }
        this.admission = new LabelAdmission(JenkinsNodes.get().pool(), cloud.getMaxWaitingForNode());
        this.runner = new JenkinsQueueRunner(this, client, admission);
        DispatchSettings settings = DispatchSettings.defaults()
                .withOrder(cloud.isFairOrder() ? QueueOrder.FAIR : QueueOrder.PRIORITY)
                .withNodeLoss(Duration.ofSeconds(60), cloud.isRequeueOnNodeLoss() ? NodeLossPolicy.REQUEUE : NodeLossPolicy.FAIL);
        try {
            this.dispatcher = new Dispatcher(client, admission, runner, templates, settings, null, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UserInputException("ClearML Queue Cloud '" + cloud.name + "': " + e.getMessage());
        }
        // tasks popped but not yet on a node survive a controller crash: the next start returns them to their queue
        dispatcher.keepHandOffJournal(new File(new File(Jenkins.get().getRootDir(), "clearml"),
                HandOffJournal.fileName("queue-cloud-" + cloud.name) + ".json").toPath(),
                "the ClearML Queue Cloud '" + cloud.name + "'");
        dispatcher.beforeTick(() -> {
            JenkinsNodes.get().refresh();
            runner.checkCancelled();
        });
        // Jenkins would not start the builds: the tasks stay in ClearML, where other agents can take them
        dispatcher.pauseWhile(() -> notTakingTasks() != null);
    }

    static QueueCloudService start(ClearmlQueueCloud cloud) throws UserInputException, ClearMLException, IOException {
        QueueCloudService service = new QueueCloudService(cloud);
        service.dispatcher.start();
        LOG.info(() -> "ClearML Queue Cloud '" + cloud.name + "' serves " + service.dispatcher.templates().size()
                + " template(s) from " + service.server.apiUrl());
        return service;
    }

    ClearmlQueueCloud cloud() {
        return cloud;
    }

    String cloudName() {
        return cloud.name;
    }

    ClearMLClient client() {
        return client;
    }

    AgentConfig agentConfig(NodeFacts facts) {
        return AgentConfigFactory.create(server, keys, null, null, plugin, facts);
    }

    String serverName() {
        return server.name();
    }

    /** Masked in the build log. */
    List<String> secrets() {
        return List.of(keys.secretKey());
    }

    String webUrl(String projectId, String taskId) {
        return server.endpoint().taskLogUrl(projectId, taskId);
    }

    /** The cloud's job, created again if it was deleted; the cloud's status page shows why it cannot be had. */
    FreeStyleProject job() throws UserInputException, IOException {
        try {
            FreeStyleProject job = QueueCloudJob.ensure(cloud.name, cloud.getJobNameInUse());
            cloud.setProblem(null);
            return job;
        } catch (UserInputException | IOException e) {
            cloud.setProblem(e.getMessage());
            throw e;
        }
    }

    /** Why no task is popped now (Jenkins prepares for shutdown, the cloud's job is disabled); null: it is. */
    String notTakingTasks() {
        if (Jenkins.get().isQuietingDown()) {
            return "Jenkins is preparing for shutdown";
        }
        String name = cloud.getJobNameInUse();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return Jenkins.get().getItem(name) instanceof FreeStyleProject p && p.isDisabled()
                    ? "the cloud's job '" + name + "' is disabled" : null;
        }
    }

    /**
     * Why Jenkins itself may have cancelled the cloud's queue items (its job disabled or deleted, Jenkins
     * preparing for shutdown); null when only a user can have.
     */
    String jobPaused() {
        String why = notTakingTasks();
        if (why != null) {
            return why;
        }
        String name = cloud.getJobNameInUse();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return Jenkins.get().getItem(name) == null ? "the cloud's job '" + name + "' was deleted" : null;
        }
    }

    DispatcherStatus status() {
        return dispatcher.status();
    }

    ClearmlQueueRun run(String taskId) {
        return runner.run(taskId);
    }

    /**
     * Stops taking tasks and gives the ones waiting in the Jenkins queue back to the front of their ClearML queue;
     * runs already on an executor go on, and this service closes once they have ended.
     */
    void stop(String why) {
        dispatcher.stopAccepting();
        dispatcher.abortWaiting(why);
        Thread closer = new Thread(() -> {
            try {
                dispatcher.awaitIdle(Duration.ofDays(7));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                dispatcher.close();
                runner.close();
                client.close();
            }
        }, "clearml-queue-cloud-close-" + cloud.name);
        closer.setDaemon(true);
        closer.start();
    }

    /** On controller shutdown: waiting tasks go back to their queues before the JVM ends. */
    void stopForShutdown() throws InterruptedException {
        dispatcher.stopAccepting();
        dispatcher.abortWaiting("the Jenkins controller is shutting down");
        dispatcher.awaitIdle(Duration.ofSeconds(10));
    }
}
