package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request's body as the server reads it: JSON (strict, an object or nothing) with the query parameters merged in. */
final class RequestBodies {

    private RequestBodies() {
    }

    static ObjectNode parse(byte[] raw, String contentType) {
        if (EventEndpoints.JSON_LINES.equals(contentType) || isBlank(raw)) {
            return ServerState.NODES.objectNode();
        }
        JsonNode n;
        try {
            n = ServerState.STRICT_JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, 0, "Bad Request: failed to decode JSON object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, 0, "Bad Request: " + e.getMessage());
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return ServerState.NODES.objectNode();
        }
        if (!n.isObject()) {
            throw new ApiError(500, 0, "General data error (Data should be a dict)");
        }
        return (ObjectNode) n;
    }

    private static boolean isBlank(byte[] raw) {
        for (byte b : raw) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** Query parameters merged into the body as the server does: dotted keys nest, numbers and booleans convert. */
    static void mergeQuery(ObjectNode body, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        params.forEach((key, values) -> {
            boolean list = key.endsWith("[]") || values.size() > 1;
            String k = key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
            String[] parts = k.split("\\.");
            ObjectNode target = body;
            for (int i = 0; i < parts.length - 1; i++) {
                target = ServerState.child(target, parts[i]);
            }
            String leaf = parts[parts.length - 1];
            if (list) {
                ArrayNode a = target.putArray(leaf);
                values.forEach(v -> a.add(convert(v)));
            } else {
                target.set(leaf, convert(values.get(0)));
            }
        });
    }

    private static JsonNode convert(String v) {
        if (v.matches("-?\\d+")) {
            try {
                return ServerState.NODES.numberNode(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return ServerState.NODES.textNode(v);
            }
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return ServerState.NODES.numberNode(Double.parseDouble(v));
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return ServerState.NODES.booleanNode(Boolean.parseBoolean(v));
        }
        return ServerState.NODES.textNode(v);
    }
}
