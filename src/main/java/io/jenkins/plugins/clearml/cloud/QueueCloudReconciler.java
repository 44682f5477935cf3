package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.model.PeriodicWork;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Keeps one {@link QueueCloudService} per installed ClearML Queue Cloud: starts it when the cloud appears (or a
 * failed start can be retried), replaces it when the cloud's configuration is saved (Jenkins then holds a new
 * cloud object), stops it when the cloud is removed. Every 10 seconds.
 */
@Extension
public final class QueueCloudReconciler extends PeriodicWork {

    private static final Logger LOG = Logger.getLogger(QueueCloudReconciler.class.getName());

    /** Every cloud object created (form submit, configuration load); weak, so discarded ones disappear. */
    private static final Set<ClearmlQueueCloud> CREATED = Collections.newSetFromMap(new WeakHashMap<>());
    private static final Map<ClearmlQueueCloud, QueueCloudService> RUNNING = new IdentityHashMap<>();
    private static boolean hookAdded;

    static synchronized void created(ClearmlQueueCloud cloud) {
        CREATED.add(cloud);
    }

    static synchronized QueueCloudService serviceOf(ClearmlQueueCloud cloud) {
        return RUNNING.get(cloud);
    }

    @Override
    public long getRecurrencePeriod() {
        return 10_000L;
    }

    @Override
    public long getInitialDelay() {
        return 5_000L;
    }

    @Override
    protected void doRun() {
        reconcile();
    }

    static synchronized void reconcile() {
        Jenkins jenkins = Jenkins.get();
        for (ClearmlQueueCloud cloud : Set.copyOf(CREATED)) {
            boolean installed = jenkins.getCloud(cloud.name) == cloud;
            QueueCloudService service = RUNNING.get(cloud);
            if (installed && service == null) {
                try {
                    RUNNING.put(cloud, QueueCloudService.start(cloud));
                    cloud.setProblem(null);
                    addShutdownHook();
                } catch (Exception e) {
                    cloud.setProblem(e.getMessage());
                    LOG.warning("ClearML Queue Cloud '" + cloud.name + "' cannot start: " + e.getMessage());
                }
            } else if (!installed && service != null) {
                RUNNING.remove(cloud);
                service.stop("the ClearML Queue Cloud was reconfigured or removed");
            }
        }
    }

    private static void addShutdownHook() {
        if (hookAdded) {
            return;
        }
        hookAdded = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Map<ClearmlQueueCloud, QueueCloudService> running;
            synchronized (QueueCloudReconciler.class) {
                running = new IdentityHashMap<>(RUNNING);
            }
            for (QueueCloudService service : running.values()) {
                try {
                    service.stopForShutdown();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "clearml-queue-cloud-shutdown"));
    }
}
