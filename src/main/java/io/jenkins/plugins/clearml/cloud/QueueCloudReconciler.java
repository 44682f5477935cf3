package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.model.PeriodicWork;
import hudson.model.listeners.ItemListener;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
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

    static synchronized void created(ClearmlQueueCloud cloud) {
        CREATED.add(cloud);
    }

    static synchronized QueueCloudService serviceOf(ClearmlQueueCloud cloud) {
        return RUNNING.get(cloud);
    }

    /** The services of {@link #RUNNING}, for readers that must not wait for a cloud's start (the Jenkins queue). */
    private static volatile List<QueueCloudService> runningSnapshot = List.of();

    /**
     * The run a queue item or build is for: held by a running service of the cloud of that name. Lock-free: the
     * Jenkins queue asks while holding its lock, and stopping a service cancels queue items.
     */
    static ClearmlQueueRun liveRun(String cloudName, String taskId) {
        for (QueueCloudService service : runningSnapshot) {
            ClearmlQueueRun run = service.cloudName().equals(cloudName) ? service.run(taskId) : null;
            if (run != null) {
                return run;
            }
        }
        return null;
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
                    runningSnapshot = List.copyOf(RUNNING.values());
                    cloud.setProblem(null);
                } catch (Exception e) {
                    cloud.setProblem(e.getMessage());
                    LOG.warning("ClearML Queue Cloud '" + cloud.name + "' cannot start: " + e.getMessage());
                }
            } else if (!installed && service != null) {
                RUNNING.remove(cloud);
                runningSnapshot = List.copyOf(RUNNING.values());
                service.stop("the ClearML Queue Cloud was reconfigured or removed");
            }
        }
    }

    /**
     * On controller shutdown, before Jenkins saves its queue: tasks waiting in the Jenkins queue go back to the front
     * of their ClearML queue (up to 10 s a cloud); runs on executors are stopped like any build.
     */
    static void stopAllForShutdown() {
        List<QueueCloudService> running;
        synchronized (QueueCloudReconciler.class) {
            running = List.copyOf(RUNNING.values());
        }
        for (QueueCloudService service : running) {
            try {
                service.stopForShutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warning("ClearML Queue Cloud '" + service.cloudName() + "' could not give its waiting tasks back "
                        + "at shutdown (" + e + "): they return to their ClearML queue at the next start.");
            }
        }
    }

    /** Jenkins' own shutdown sequence, not a JVM hook: it runs while Jenkins still works, before queue.xml is saved. */
    @Extension
    public static final class OnShutdown extends ItemListener {
        @Override
        public void onBeforeShutdown() {
            stopAllForShutdown();
        }
    }
}
