package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** {@code auth.login/logout}, {@code debug.ping}, {@code server.info} and {@code projects.*}. */
final class MiscEndpoints {

    static final long MAX_EXPIRATION_S = 31_536_000L;
    static final long DEFAULT_EXPIRATION_S = 2_592_000L;

    private final ServerState state;
    private final TokenStore tokens;

    MiscEndpoints(ServerState state, TokenStore tokens) {
        this.state = state;
        this.tokens = tokens;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("auth.login", "1.0", true, this::login));
        out.accept(new Endpoint("auth.logout", "2.2", true, this::logout));
        out.accept(new Endpoint("debug.ping", "1.0", false, c -> NODES.objectNode().put("msg", "ClearML server")));
        out.accept(new Endpoint("server.info", "1.0", true, c -> NODES.objectNode()
                .put("version", LocalClearMLServer.SERVER_VERSION).put("build", "local").put("commit", "local")
                .put("uid", LocalClearMLServer.COMPANY_ID).put("api_version", LocalClearMLServer.MAX_VERSION)));
        out.accept(new Endpoint("projects.create", "1.0", true, this::createProject));
        out.accept(new Endpoint("projects.get_by_id", "1.0", true, this::getProject));
        out.accept(new Endpoint("projects.get_all", "1.0", true, this::getProjects));
    }

    private ObjectNode login(ApiCall call) {
        long expiration = call.number("expiration_sec", tokens.defaultLifetimeSeconds);
        if (expiration <= 0 || expiration > MAX_EXPIRATION_S) {
            throw ApiError.of(400, 12, "validation error", "expiration_sec must be between 1 and " + MAX_EXPIRATION_S,
                    "expiration_sec", expiration);
        }
        return NODES.objectNode().put("token", tokens.issue(expiration));
    }

    private ObjectNode logout(ApiCall call) {
        if (call.token != null) {
            tokens.revoke(call.token);
        }
        return NODES.objectNode();
    }

    private ObjectNode createProject(ApiCall call) {
        String name = call.body.path("name").asText("");
        if (name.isEmpty()) {
            throw ApiError.missingRequired(null, "name");
        }
        synchronized (state) {
            for (ObjectNode p : state.projects.values()) {
                if (p.path("name").asText().equals(name)) {
                    throw ApiError.of(400, 801, "value combination already exists (unique field already contains this value)",
                            null, "name", name);
                }
            }
            String id = ServerState.newId();
            String iso = Dates.iso(state.now());
            ObjectNode p = NODES.objectNode();
            p.put("id", id).put("name", name).put("basename", name.substring(name.lastIndexOf('/') + 1))
                    .put("description", call.text("description", "")).put("user", LocalClearMLServer.USER_ID)
                    .put("company", LocalClearMLServer.COMPANY_ID).put("created", iso).put("last_update", iso);
            p.set("tags", ServerState.sortedArray(call.strings("tags")));
            p.set("system_tags", ServerState.sortedArray(call.strings("system_tags")));
            if (call.body.hasNonNull("default_output_destination")) {
                p.put("default_output_destination", call.body.get("default_output_destination").asText());
            }
            state.projects.put(id, p);
            return NODES.objectNode().put("id", id);
        }
    }

    private ObjectNode getProject(ApiCall call) {
        String id = call.required("project");
        synchronized (state) {
            ObjectNode p = state.projects.get(id);
            if (p == null) {
                throw ApiError.of(400, 401, "invalid project id", null, "id", id);
            }
            return NODES.objectNode().set("project", p.deepCopy());
        }
    }

    private ObjectNode getProjects(ApiCall call) {
        List<String> ids = call.strings("id");
        Pattern name = QueryFilters.regex("name", call.text("name", null));
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            for (ObjectNode p : state.projects.values()) {
                if ((ids.isEmpty() || ids.contains(p.path("id").asText()))
                        && (name == null || name.matcher(p.path("name").asText()).find())) {
                    out.add(p.deepCopy());
                }
            }
        }
        ObjectNode data = NODES.objectNode();
        data.set("projects", out);
        return data;
    }
}
