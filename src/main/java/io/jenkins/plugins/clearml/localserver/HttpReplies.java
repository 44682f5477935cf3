package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writes answers: the API envelope (HTTP status = {@code result_code}) and plain bodies. */
final class HttpReplies {

    private HttpReplies() {
    }

    static void envelope(HttpExchange ex, String name, String requested, String actual, ApiError error,
                                 ObjectNode data) throws IOException {
        ObjectNode root = ServerState.NODES.objectNode();
        ObjectNode meta = root.putObject("meta");
        String id = ServerState.newId();
        meta.put("id", id).put("trx", id);
        ObjectNode ep = meta.putObject("endpoint");
        ep.put("name", name == null ? "" : name).put("requested_version", requested).put("actual_version", actual);
        int code = error == null ? 200 : error.code;
        meta.put("result_code", code).put("result_subcode", error == null ? 0 : error.subcode)
                .put("result_msg", error == null ? "OK" : error.getMessage());
        meta.putNull("error_stack");
        meta.putObject("error_data");
        root.set("data", data == null ? ServerState.NODES.objectNode() : data);
        send(ex, code, "application/json", ServerState.STRICT_JSON.writeValueAsBytes(root));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Server", "clearml");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
