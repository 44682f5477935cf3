package hudson.model;

import hudson.model.queue.ScheduleResult;
import hudson.model.queue.SubTask;

public class Queue extends ResourceController implements Saveable {

    Queue() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public ScheduleResult schedule2(Queue.Task p, int quietPeriod, Action... actions) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public void save() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean cancel(Queue.Task p) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean cancel(Queue.Item item) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Queue.Item getItem(long id) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Queue.Item getItem(Queue.Task t) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public interface Task extends ModelObject, SubTask {
        String getName();

        String getFullDisplayName();

        String getUrl();

        default boolean isConcurrentBuild() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        default void checkAbortPermission() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        default boolean hasAbortPermission() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }

    public interface TransientTask extends Queue.Task {
    }

    public interface Executable extends Runnable {
        SubTask getParent();

        @Override
        void run() throws jenkins.model.queue.AsynchronousExecution;

        @Override
        String toString();

        default String getConsoleUrl() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }

    public abstract static class Item extends Actionable {
        public final Queue.Task task;

        Item() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public long getId() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }

    public abstract static class NotWaitingItem extends Queue.Item {
        NotWaitingItem() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }

    public static final class BuildableItem extends Queue.NotWaitingItem {
        BuildableItem() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }

    public interface QueueAction extends Action {
        boolean shouldSchedule(java.util.List<Action> actions);
    }

    public static final class LeftItem extends Queue.Item {
        LeftItem() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public Queue.Executable getExecutable() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public boolean isCancelled() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }
}
