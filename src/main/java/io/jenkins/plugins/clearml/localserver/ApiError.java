package io.jenkins.plugins.clearml.localserver;

import java.util.Locale;

/**
 * An error answer of the local server: HTTP status = {@code result_code}, plus subcode and message, formatted like
 * the real server's ({@code apierrors/errors.conf} message with the first letter capitalised, optional
 * {@code (extra)}, optional {@code : key=value, ...}).
 */
final class ApiError extends RuntimeException {

    final int code;
    final int subcode;

    ApiError(int code, int subcode, String message) {
        super(message, null, false, false);
        this.code = code;
        this.subcode = subcode;
    }

    static ApiError of(int code, int subcode, String base, String extra, Object... keyValues) {
        StringBuilder sb = new StringBuilder();
        String lower = base.toLowerCase(Locale.ROOT);
        sb.append(Character.toUpperCase(lower.charAt(0))).append(lower, 1, lower.length());
        if (extra != null && !extra.isEmpty()) {
            sb.append(" (").append(extra).append(')');
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            sb.append(i == 0 ? ": " : ", ").append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        return new ApiError(code, subcode, sb.toString());
    }

    static ApiError validation(String field) {
        return of(400, 12, "validation error", "error for field '" + field + "'. field is required!");
    }

    static ApiError invalidValue(String field, Object value) {
        return of(400, 12, "validation error", "error for field '" + field + "'. invalid value", "value", value);
    }

    static ApiError missingRequired(String extra, String field) {
        return of(400, 11, "missing required fields", extra, "field", field);
    }

    static ApiError invalidTaskId(String id) {
        return of(400, 101, "invalid task id", null, "id", id, "company", LocalClearMLServer.COMPANY_ID);
    }

    static ApiError invalidStatusChange(String current, String target) {
        return of(400, 110, "invalid task status", "Invalid status change", "current_status", current, "new_status", target);
    }

    static ApiError expectedStatus(String expected, String status) {
        return of(400, 110, "invalid task status", null, "expected", expected, "status", status);
    }

    static ApiError invalidQueueId(String id) {
        return of(400, 701, "invalid queue id", null, "id", id);
    }

    static ApiError notFound(String name, String version) {
        return new ApiError(404, 0, "Unable to find endpoint for name " + name + " and version " + version);
    }
}
