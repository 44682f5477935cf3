package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** One request as an endpoint sees it: the endpoint name, requested version, JSON body and caller facts. */
final class ApiCall {

    final String endpoint;
    final String requestedVersion;
    final ObjectNode body;
    final byte[] rawBody;
    final String contentType;
    final String workerHeader;
    /** The Bearer token the call came with, if any (for {@code auth.logout}). */
    String token;

    ApiCall(String endpoint, String requestedVersion, ObjectNode body, byte[] rawBody, String contentType,
            String workerHeader) {
        this.endpoint = endpoint;
        this.requestedVersion = requestedVersion;
        this.body = body;
        this.rawBody = rawBody;
        this.contentType = contentType;
        this.workerHeader = workerHeader;
    }

    String required(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
            throw ApiError.validation(field);
        }
        if (!n.isValueNode()) {
            throw ApiError.invalidValue(field, n);
        }
        return n.asText();
    }

    String text(String field, String fallback) {
        return text(body, field, fallback);
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode n = node == null ? null : node.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return Boolean.parseBoolean(n.asText());
        }
        return n.asInt() != 0;
    }

    long number(String field, long fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber() && !(n.isTextual() && n.asText().matches("-?\\d+(\\.\\d+)?"))) {
            throw ApiError.invalidValue(field, n.asText());
        }
        return n.asLong();
    }

    /** A list of strings; a single string counts as a list of one, as the real models coerce it. */
    List<String> strings(String field) {
        return strings(body.get(field));
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                out.add(e.asText());
            }
        } else {
            out.add(n.asText());
        }
        return out;
    }

    ObjectNode object(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiError.invalidValue(field, n.toString());
        }
        return (ObjectNode) n;
    }

    ArrayNode array(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw ApiError.invalidValue(field, n.toString());
        }
        return (ArrayNode) n;
    }
}
