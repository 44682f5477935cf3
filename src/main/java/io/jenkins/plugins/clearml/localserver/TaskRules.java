package io.jenkins.plugins.clearml.localserver;

import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;

/** The status checks that several task calls make before they change a task. */
final class TaskRules {

    private TaskRules() {
    }

    static void checkEditableStatus(StoredTask t, boolean force) {
        String s = t.status();
        if (s.equals("created") || (force && (s.equals("queued") || s.equals("in_progress")))) {
            return;
        }
        throw ApiError.expectedStatus("created", s);
    }

    static void checkStatusValue(String field, String status) {
        if (!ServerState.STATUSES.contains(status)) {
            throw ApiError.invalidValue(field, status);
        }
    }
}
