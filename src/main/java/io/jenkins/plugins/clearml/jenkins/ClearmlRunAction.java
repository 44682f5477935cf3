package io.jenkins.plugins.clearml.jenkins;

import hudson.model.BuildBadgeAction;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import jenkins.model.RunAction2;

/**
 * The ClearML tasks a build ran: a summary on the build page, a page of their own (side panel link "ClearML"), and a
 * badge in the build history. Stored in build.xml; updated while the build runs.
 */
public final class ClearmlRunAction implements RunAction2, BuildBadgeAction {

    /** URL segment of the action's page under the build. */
    public static final String URL_NAME = "clearml";

    static final String ICON = "/plugin/clearml/images/clearml.svg";

    /** Guards creating the action; not the build's own monitor, which Jenkins uses for its own locking. */
    private static final Object CREATION = new Object();

    private final List<TaskRecord> tasks = new ArrayList<>();

    private transient Run<?, ?> run;

    /** The build's action, added to it on first use. */
    public static ClearmlRunAction of(Run<?, ?> run) {
        synchronized (CREATION) {
            ClearmlRunAction action = run.getAction(ClearmlRunAction.class);
            if (action == null) {
                action = new ClearmlRunAction();
                run.addAction(action);
            }
            return action;
        }
    }

    /** Adds a task and returns its position, for {@link #change}. */
    public synchronized int add(TaskRecord record) {
        tasks.add(record);
        return tasks.size() - 1;
    }

    /** Replaces the task at {@code position} by {@code change} of it, atomically. */
    public synchronized void change(int position, UnaryOperator<TaskRecord> change) {
        tasks.set(position, change.apply(tasks.get(position)));
    }

    public synchronized List<TaskRecord> getTasks() {
        return List.copyOf(tasks);
    }

    /** The badge's tooltip, e.g. "ClearML: 2 tasks (completed, failed)". */
    public synchronized String getBadgeText() {
        String statuses = tasks.stream().map(TaskRecord::getStatus).collect(Collectors.joining(", "));
        return "ClearML: " + tasks.size() + (tasks.size() == 1 ? " task" : " tasks") + " (" + statuses + ")";
    }

    /** Whether every task completed; the badge and summary show it. */
    public synchronized boolean isAllSuccessful() {
        return !tasks.isEmpty() && tasks.stream().allMatch(TaskRecord::isSuccessful);
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public String getIconFileName() {
        return ICON;
    }

    @Override
    public String getDisplayName() {
        return "ClearML";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }
}
