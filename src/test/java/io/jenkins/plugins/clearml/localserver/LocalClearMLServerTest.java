package io.jenkins.plugins.clearml.localserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local server's wire behaviour, checked with raw HTTP against the contract of the real server. */
class LocalClearMLServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private LocalClearMLServer server;
    private final OkHttpClient http = new OkHttpClient();
    private String basic;

    /** An answer: HTTP status, envelope meta and data. */
    record Answer(int http, JsonNode meta, JsonNode data, String raw) {
        int code() {
            return meta.path("result_code").asInt();
        }

        int subcode() {
            return meta.path("result_subcode").asInt();
        }

        String msg() {
            return meta.path("result_msg").asText();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new LocalClearMLServer().start();
        basic = Credentials.basic(server.credentials().accessKey(), server.credentials().secretKey());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Answer post(String path, String authorization, String contentType, String body) throws Exception {
        Request.Builder r = new Request.Builder().url(server.apiUrl() + path)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8),
                        contentType == null ? null : MediaType.get(contentType)));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        r.header("X-ClearML-Worker", "test-worker");
        try (Response resp = http.newCall(r.build()).execute()) {
            String raw = resp.body().string();
            JsonNode root = raw.startsWith("{") ? JSON.readTree(raw) : JSON.createObjectNode();
            return new Answer(resp.code(), root.path("meta"), root.path("data"), raw);
        }
    }

    private Answer call(String endpoint, Object body) throws Exception {
        return post("/v2.26/" + endpoint, basic, "application/json", JSON.writeValueAsString(body));
    }

    private JsonNode ok(String endpoint, Object body) throws Exception {
        Answer a = call(endpoint, body);
        assertThat(a.http()).as(endpoint + ": " + a.msg()).isEqualTo(200);
        return a.data();
    }

    // ---- framing ---------------------------------------------------------------------------------------------

    @Test
    void answersTheEnvelopeOnVersionedAndUnversionedPaths() throws Exception {
        Answer versioned = post("/v2.13/debug.ping", null, null, "");
        assertThat(versioned.http()).isEqualTo(200);
        assertThat(versioned.data().path("msg").asText()).isEqualTo("ClearML server");
        assertThat(versioned.meta().path("endpoint").path("requested_version").asText()).isEqualTo("2.13");
        assertThat(versioned.meta().path("result_msg").asText()).isEqualTo("OK");
        assertThat(versioned.meta().path("id").asText()).hasSize(32);

        Answer bare = post("/server.info/", basic, null, "");
        assertThat(bare.meta().path("endpoint").path("requested_version").asText()).isEqualTo("2.34");
        assertThat(bare.data().path("api_version").asText()).isEqualTo("2.34");
    }

    @Test
    void unknownEndpointsAndTooLowVersionsAre404AndBadPaths400() throws Exception {
        Answer unknown = call("tasks.no_such_thing", Map.of());
        assertThat(unknown.http()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(unknown.msg()).startsWith("Unable to find endpoint for name tasks.no_such_thing");
        Answer tooLow = post("/v2.3/queues.get_all", basic, "application/json", "{}");
        assertThat(tooLow.http()).isEqualTo(404);
        assertThat(post("/v2.1/tasks.completed", basic, "application/json", "{}").http()).isEqualTo(404);
        Answer badPath = post("/not/a/valid/path", basic, "application/json", "{}");
        assertThat(badPath.http()).isEqualTo(400);
        assertThat(badPath.msg()).startsWith("Invalid request path");
    }

    @Test
    void refusesArraysGzipAndMalformedJson() throws Exception {
        assertThat(post("/tasks.get_all", basic, "application/json", "[1]").http()).isEqualTo(500);
        assertThat(post("/tasks.get_all", basic, "application/json", "{oops").http()).isEqualTo(400);
        Request gz = new Request.Builder().url(server.apiUrl() + "/tasks.get_all").header("Authorization", basic)
                .header("Content-Encoding", "gzip").post(RequestBody.create(new byte[] {1, 2}, APPLICATION_JSON)).build();
        try (Response r = http.newCall(gz).execute()) {
            assertThat(r.code()).isEqualTo(415);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
        }
    }

    @Test
    void queryParametersAreMergedIntoTheBody() throws Exception {
        Answer login = post("/auth.login?expiration_sec=60", basic, null, "");
        assertThat(login.http()).isEqualTo(200);
        String token = login.data().path("token").asText();
        JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(60);
        assertThat(claims.path("api_version").asText()).isEqualTo("2.34");
        Answer tooLong = post("/auth.login?expiration_sec=31536001", basic, null, "");
        assertThat(tooLong.code()).isEqualTo(400);
        assertThat(tooLong.subcode()).isEqualTo(12);
    }

    // ---- auth ------------------------------------------------------------------------------------------------

    @Test
    void authenticationFailuresCarryTheRealSubcodes() throws Exception {
        assertThat(post("/tasks.get_all", null, null, "").subcode()).isEqualTo(20);
        assertThat(post("/tasks.get_all", "Token abc", null, "").subcode()).isEqualTo(10);
        assertThat(post("/tasks.get_all", "bearer abc", null, "").subcode()).isEqualTo(10);
        assertThat(post("/tasks.get_all", "Basic !!!notbase64", null, "").subcode()).isEqualTo(21);
        Answer wrong = post("/tasks.get_all", Credentials.basic(server.credentials().accessKey(), "nope"), null, "");
        assertThat(wrong.http()).isEqualTo(401);
        assertThat(wrong.subcode()).isEqualTo(22);
        assertThat(wrong.msg()).startsWith("Unauthorized (invalid credentials)");
        assertThat(post("/tasks.get_all", "Bearer garbage", null, "").subcode()).isEqualTo(30);
        assertThat(post("/tasks.get_all", basic, null, "").http()).isEqualTo(200);

        String token = post("/auth.login", basic, null, "").data().path("token").asText();
        assertThat(post("/tasks.get_all", "Bearer " + token, null, "").http()).isEqualTo(200);
        server.expireTokens();
        Answer expired = post("/tasks.get_all", "Bearer " + token, null, "");
        assertThat(expired.subcode()).isEqualTo(30);
        assertThat(expired.msg()).contains("Signature has expired");

        String fresh = post("/auth.login", basic, null, "").data().path("token").asText();
        assertThat(post("/auth.logout", "Bearer " + fresh, null, "").http()).isEqualTo(200);
        assertThat(post("/tasks.get_all", "Bearer " + fresh, null, "").subcode()).isEqualTo(30);
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    @Test
    void theStateMachineAllowsSameStatusAndForceAndRefusesTheRest() throws Exception {
        String task = ok("tasks.create", Map.of("name", "machine", "type", "training", "unknown_field", 1)).path("id").asText();
        Answer illegal = call("tasks.completed", Map.of("task", task));
        assertThat(illegal.http()).isEqualTo(400);
        assertThat(illegal.subcode()).isEqualTo(110);
        assertThat(illegal.msg()).isEqualTo(
                "Invalid task status (Invalid status change): current_status=created, new_status=completed");
        JsonNode started = ok("tasks.started", Map.of("task", task, "status_message", "pulled by agent"));
        assertThat(started.path("started").asInt()).isEqualTo(1);
        assertThat(started.path("fields").path("status").asText()).isEqualTo("in_progress");
        String firstStart = server.taskJson(task).get("started").toString();
        ok("tasks.started", Map.of("task", task, "status_message", "again"));
        assertThat(server.taskJson(task).get("started").toString()).isEqualTo(firstStart);
        assertThat(server.task(task).statusMessage()).isEqualTo("again");
        ok("tasks.completed", Map.of("task", task, "status_reason", "done"));
        assertThat(call("tasks.stopped", Map.of("task", task)).subcode()).isEqualTo(110);
        ok("tasks.stopped", Map.of("task", task, "force", true));
        assertThat(server.task(task)).extracting(LocalClearMLServer.TaskSnapshot::status).isEqualTo("stopped");
    }

    @Test
    void unknownTaskIdsAndMissingFieldsHaveTheirOwnCodes() throws Exception {
        Answer started = call("tasks.started", Map.of("task", "nope"));
        assertThat(started.subcode()).isEqualTo(10);
        assertThat(call("tasks.stopped", Map.of("task", "nope")).subcode()).isEqualTo(101);
        assertThat(call("tasks.get_by_id", Map.of("task", "nope")).subcode()).isEqualTo(101);
        Answer missing = call("tasks.get_by_id", Map.of());
        assertThat(missing.code()).isEqualTo(400);
        assertThat(missing.subcode()).isEqualTo(12);
        assertThat(call("tasks.create", Map.of("name", "ab", "type", "training")).subcode()).isEqualTo(800);
        assertThat(call("tasks.create", Map.of("name", "abc", "type", "bogus")).subcode()).isEqualTo(12);
        assertThat(ok("tasks.ping", Map.of("task", "nope")).isEmpty()).isTrue();
    }

    @Test
    void stopGoesThroughALiveWorkerOnly() throws Exception {
        String watched = server.createTask("watched");
        ok("tasks.started", Map.of("task", watched));
        ok("workers.status_report", Map.of("worker", "w1", "timestamp", System.currentTimeMillis(), "task", watched));
        ok("tasks.stop", Map.of("task", watched));
        assertThat(server.task(watched).status()).isEqualTo("in_progress");
        assertThat(server.task(watched).statusMessage()).isEqualTo("stopping");
        assertThat(server.task(watched).lastWorker()).isEqualTo("w1");

        server.advanceClock(Duration.ofSeconds(601));
        ok("tasks.stop", Map.of("task", watched));
        assertThat(server.task(watched).status()).isEqualTo("stopped");
        assertThat(server.task(watched).statusMessage()).isEqualTo("Stopped by Local User");

        String unattended = server.createTask("unattended");
        ok("tasks.started", Map.of("task", unattended));
        ok("tasks.stop", Map.of("task", unattended));
        assertThat(server.task(unattended).status()).isEqualTo("stopped");

        String queued = server.createTask("queued");
        server.enqueue(queued, server.defaultQueueId());
        ok("tasks.stop", Map.of("task", queued));
        assertThat(server.task(queued).status()).isEqualTo("stopped");
        assertThat(server.queueTaskIds(server.defaultQueueId())).isEmpty();
    }

    @Test
    void enqueueRemembersThePreviousStatusForDequeue() throws Exception {
        String queue = server.createQueue("second");
        String task = server.createTask("requeue");
        ok("tasks.started", Map.of("task", task));
        ok("tasks.failed", Map.of("task", task));
        JsonNode enq = ok("tasks.enqueue", Map.of("task", task, "queue", queue));
        assertThat(enq.path("queued").asInt()).isEqualTo(1);
        assertThat(enq.path("fields").path("execution.queue").asText()).isEqualTo(queue);
        assertThat(server.task(task).executionQueue()).isEqualTo(queue);
        JsonNode deq = ok("tasks.dequeue", Map.of("task", task));
        assertThat(deq.path("updated").asInt()).isEqualTo(1);
        assertThat(server.task(task).status()).isEqualTo("failed");
        assertThat(server.queueTaskIds(queue)).isEmpty();

        ok("tasks.enqueue", Map.of("task", task, "queue", queue));
        ok("tasks.dequeue", Map.of("task", task, "new_status", "created"));
        assertThat(server.task(task).status()).isEqualTo("created");
        assertThat(ok("tasks.dequeue", Map.of("task", task)).path("updated").asInt()).isZero();
        assertThat(call("tasks.dequeue", Map.of("task", task, "new_status", "nonsense")).subcode()).isEqualTo(12);

        ok("tasks.enqueue", Map.of("task", task, "queue_name", "made-on-the-fly"));
        assertThat(ok("queues.get_all", Map.of("name", "made-on-the-fly")).path("queues")).hasSize(1);
        assertThat(call("tasks.enqueue", Map.of("task", task, "queue", "nope")).subcode()).isEqualTo(701);
        assertThat(call("tasks.enqueue", Map.of("task", task, "queue", queue, "queue_name", "x")).subcode()).isEqualTo(12);
    }

    @Test
    void editNeedsCreatedUnlessForcedAndMergesEmbeddedObjects() throws Exception {
        String task = server.createTask("edit", Map.of("script", Map.of("repository", "r", "branch", "b")));
        ok("tasks.edit", Map.of("task", task, "script", Map.of("branch", "main"), "container", Map.of("image", "i")));
        Map<String, Object> doc = server.taskJson(task);
        assertThat(doc.get("script")).isEqualTo(Map.of("binary", "python", "repository", "r", "branch", "main"));
        ok("tasks.started", Map.of("task", task));
        Answer refused = call("tasks.edit", Map.of("task", task, "comment", "x"));
        assertThat(refused.subcode()).isEqualTo(110);
        assertThat(refused.msg()).contains("expected=created", "status=in_progress");
        ok("tasks.edit", Map.of("task", task, "force", true, "container", Map.of("image", "j")));
        assertThat(server.taskJson(task).get("container")).isEqualTo(Map.of("image", "j"));

        assertThat(call("tasks.edit_hyper_params", Map.of("task", task, "hyperparams",
                List.of(Map.of("section", "Args", "name", "lr", "value", "1")))).subcode()).isEqualTo(110);
        ok("tasks.edit_hyper_params", Map.of("task", task, "force", true, "hyperparams",
                List.of(Map.of("section", "Args", "name", "lr", "value", "1"))));
        ok("tasks.edit_hyper_params", Map.of("task", task, "hyperparams",
                List.of(Map.of("section", "properties", "name", "p", "value", "2"))));
        JsonNode params = ok("tasks.get_hyper_params", Map.of("tasks", List.of(task))).path("params").get(0);
        assertThat(params.path("hyperparams")).hasSize(2);
        assertThat(params.path("hyperparams").get(0).path("section").asText()).isEqualTo("Args");

        ok("tasks.set_requirements", Map.of("task", task, "requirements", Map.of("pip", "numpy")));
        assertThat(server.taskJson(task).get("script")).asString().contains("requirements");
        ok("tasks.update", Map.of("task", task, "status_message", "waiting for a node"));
        assertThat(server.task(task).statusMessage()).isEqualTo("waiting for a node");
    }

    @Test
    void configurationsAreEditedAndRead() throws Exception {
        String task = server.createTask("configured");
        ok("tasks.edit_configuration", Map.of("task", task, "configuration",
                List.of(Map.of("name", "General", "value", "a: 1", "type", "yaml"), Map.of("name", "Empty", "value", ""))));
        JsonNode all = ok("tasks.get_configurations", Map.of("tasks", List.of(task))).path("configurations").get(0);
        assertThat(all.path("configuration")).hasSize(2);
        JsonNode one = ok("tasks.get_configurations", Map.of("tasks", List.of(task), "names", List.of("General")))
                .path("configurations").get(0).path("configuration");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).path("value").asText()).isEqualTo("a: 1");
        JsonNode names = ok("tasks.get_configuration_names", Map.of("tasks", List.of(task))).path("configurations");
        assertThat(names.get(0).path("names")).hasSize(1);
        ok("tasks.started", Map.of("task", task));
        assertThat(call("tasks.edit_configuration", Map.of("task", task, "configuration",
                List.of(Map.of("name", "x", "value", "y")))).subcode()).isEqualTo(110);
    }

    @Test
    void getAllFiltersAndProjects() throws Exception {
        String a = server.createTask("alpha one");
        String b = server.createTask("beta two", Map.of("system_tags", List.of("hidden")));
        ok("tasks.started", Map.of("task", a));
        JsonNode byId = ok("tasks.get_all", Map.of("id", List.of(a, b), "only_fields", List.of("status", "script.binary")));
        assertThat(byId.path("tasks")).hasSize(2);
        JsonNode first = byId.path("tasks").get(0);
        assertThat(first.path("status").asText()).isEqualTo("in_progress");
        assertThat(first.path("script").path("binary").asText()).isEqualTo("python");
        assertThat(first.has("name")).isFalse();
        assertThat(ok("tasks.get_all", Map.of()).path("tasks")).hasSize(1);
        assertThat(ok("tasks.get_all", Map.of("search_hidden", true)).path("tasks")).hasSize(2);
        assertThat(ok("tasks.get_all", Map.of("status", List.of("created"), "search_hidden", true)).path("tasks")).hasSize(1);
        assertThat(ok("tasks.get_all", Map.of("name", "^alpha")).path("tasks")).hasSize(1);
    }

    @Test
    void projectsResetPublishRuntimeAndDelete() throws Exception {
        String project = ok("projects.create", Map.of("name", "team/vision")).path("id").asText();
        assertThat(call("projects.create", Map.of()).subcode()).isEqualTo(11);
        assertThat(ok("projects.get_by_id", Map.of("project", project)).path("project").path("basename").asText())
                .isEqualTo("vision");
        assertThat(call("projects.get_by_id", Map.of("project", "nope")).subcode()).isEqualTo(401);
        assertThat(call("tasks.create", Map.of("name", "in project", "type", "training", "project", "nope")).subcode())
                .isEqualTo(16);
        String task = ok("tasks.create", Map.of("name", "in project", "type", "training", "project", project))
                .path("id").asText();
        assertThat(ok("tasks.get_all", Map.of("project", List.of(project))).path("tasks")).hasSize(1);

        ok("tasks.edit_runtime", Map.of("task", task, "add_or_update", Map.of("a", "1", "b", "2"), "remove", List.of("b")));
        assertThat(server.taskJson(task).get("runtime")).isEqualTo(Map.of("a", "1"));

        ok("tasks.started", Map.of("task", task));
        assertThat(call("tasks.edit_runtime", Map.of("task", task, "add_or_update", Map.of("c", "3"))).subcode())
                .as("a running task's runtime needs force").isEqualTo(110);
        ok("tasks.edit_runtime", Map.of("task", task, "add_or_update", Map.of("c", "3"), "force", true));
        assertThat(ok("tasks.get_all", Map.of("id", List.of(task), "only_fields", List.of("runtime.c", "runtime.zz")))
                .path("tasks").get(0).path("runtime")).isEqualTo(JSON.valueToTree(Map.of("c", "3")));
        post("/events.add_batch", basic, "application/json-lines",
                "{\"type\":\"log\",\"task\":\"" + task + "\",\"msg\":\"x\"}\n");
        JsonNode reset = ok("tasks.reset", Map.of("task", task));
        assertThat(reset.path("events").asInt()).isEqualTo(1);
        assertThat(server.task(task).status()).isEqualTo("created");
        assertThat(server.task(task).statusReason()).isEqualTo("reset");
        assertThat(server.logLines(task)).isEmpty();
        assertThat(server.taskJson(task)).doesNotContainKey("started");

        ok("tasks.started", Map.of("task", task));
        ok("tasks.completed", Map.of("task", task, "publish", true));
        assertThat(server.task(task).status()).isEqualTo("published");
        Answer locked = post("/events.add_batch", basic, "application/json-lines",
                "{\"type\":\"log\",\"task\":\"" + task + "\",\"msg\":\"late\"}\n");
        assertThat(locked.subcode()).isEqualTo(131);
        assertThat(call("tasks.reset", Map.of("task", task)).subcode()).isEqualTo(110);
        assertThat(call("tasks.delete", Map.of("task", task)).subcode()).isEqualTo(123);
        ok("tasks.delete", Map.of("task", task, "force", true));
        assertThat(server.task(task)).isNull();
    }

    // ---- queues ----------------------------------------------------------------------------------------------

    @Test
    void queuesAreFifoWithTheRealErrors() throws Exception {
        JsonNode def = ok("queues.get_default", Map.of());
        assertThat(def.path("name").asText()).isEqualTo("default");
        String q = def.path("id").asText();
        String t1 = server.createTask("one");
        String t2 = server.createTask("two");
        ok("queues.add_task", Map.of("queue", q, "task", t1));
        ok("queues.add_task", Map.of("queue", q, "task", t2));
        assertThat(call("queues.add_task", Map.of("queue", q, "task", t1)).subcode()).isEqualTo(706);
        ok("queues.move_task_to_front", Map.of("queue", q, "task", t2));
        JsonNode next = ok("queues.get_next_task", Map.of("queue", q, "get_task_info", true));
        assertThat(next.path("entry").path("task").asText()).isEqualTo(t2);
        assertThat(next.path("task_info").path("user").asText()).isEqualTo(LocalClearMLServer.USER_ID);
        assertThat(ok("queues.get_next_task", Map.of("queue", q, "task", t2)).isEmpty()).isTrue();
        assertThat(ok("queues.get_next_task", Map.of("queue", q)).path("entry").path("task").asText()).isEqualTo(t1);
        assertThat(ok("queues.get_next_task", Map.of("queue", q)).isEmpty()).isTrue();
        assertThat(call("queues.remove_task", Map.of("queue", q, "task", t1)).subcode()).isEqualTo(703);
        assertThat(call("queues.get_next_task", Map.of("queue", "nope")).subcode()).isEqualTo(701);
        assertThat(call("queues.get_by_id", Map.of("queue", "nope")).subcode()).isEqualTo(701);
        assertThat(call("queues.create", Map.of("name", "default")).subcode()).isEqualTo(801);
        JsonNode all = ok("queues.get_all", Map.of("name", "DEFAULT"));
        assertThat(all.path("queues").get(0).path("system_tags").get(0).asText()).isEqualTo("default");
    }

    @Test
    void concurrentPopsTakeEachTaskExactlyOnce() throws Exception {
        String queue = server.createQueue("contended");
        for (int i = 0; i < 400; i++) {
            server.enqueue(server.createTask("task " + i), queue);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                List<String> got = new ArrayList<>();
                while (true) {
                    JsonNode d = ok("queues.get_next_task", Map.of("queue", queue));
                    if (d.isEmpty()) {
                        return got;
                    }
                    got.add(d.path("entry").path("task").asText());
                }
            }));
        }
        List<String> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<String>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        Set<String> unique = new HashSet<>(all);
        assertThat(all).hasSize(400);
        assertThat(unique).hasSize(400);
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    @Test
    void workersRegisterReportExpireAndUnregister() throws Exception {
        String q = server.defaultQueueId();
        ok("workers.register", Map.of("worker", "w1", "queues", List.of(q), "timeout", 60));
        assertThat(call("workers.register", Map.of("worker", "w2", "queues", List.of("nope"))).subcode()).isEqualTo(701);
        ok("workers.status_report", Map.of("worker", "auto", "timestamp", 1, "machine_stats",
                Map.of("cpu_usage", List.of(1.0), "gpu_fraction", 3)));
        assertThat(call("workers.status_report", Map.of("worker", "auto", "timestamp", 1, "task", "nope")).subcode())
                .isEqualTo(101);
        assertThat(call("workers.status_report", Map.of("worker", "auto")).subcode()).isEqualTo(12);
        JsonNode workers = ok("workers.get_all", Map.of()).path("workers");
        assertThat(workers).hasSize(2);
        assertThat(workers.get(0).path("queues").get(0).path("name").asText()).isEqualTo("default");
        server.advanceClock(Duration.ofSeconds(61));
        assertThat(server.workers()).extracting(LocalClearMLServer.WorkerSnapshot::id).containsExactly("auto");
        ok("workers.unregister", Map.of("worker", "auto"));
        ok("workers.unregister", Map.of("worker", "never-registered"));
        assertThat(server.workers()).isEmpty();
    }

    // ---- events ----------------------------------------------------------------------------------------------

    @Test
    void addBatchWantsExactlyJsonLines() throws Exception {
        String task = server.createTask("events");
        String lines = "{\"type\":\"log\",\"task\":\"" + task + "\",\"timestamp\":1,\"msg\":\"a\"}\n"
                + "{\"type\":\"log\",\"task\":\"" + task + "\",\"timestamp\":2,\"msg\":\"b\"}\n";
        Answer good = post("/v2.26/events.add_batch", basic, "application/json-lines", lines);
        assertThat(good.http()).isEqualTo(200);
        assertThat(good.data().path("added").asInt()).isEqualTo(2);

        Request withCharset = new Request.Builder().url(server.apiUrl() + "/events.add_batch")
                .header("Authorization", basic)
                .post(RequestBody.create(lines, MediaType.get("application/json-lines"))).build();
        try (Response r = http.newCall(withCharset).execute()) {
            assertThat(r.request().body().contentType().toString()).contains("charset");
            assertThat(r.code()).isEqualTo(400);
        }
        Answer single = post("/events.add_batch", basic, "application/json",
                "{\"type\":\"log\",\"task\":\"" + task + "\",\"timestamp\":3,\"msg\":\"c\"}");
        assertThat(single.data().path("added").asInt()).isEqualTo(1);
        assertThat(post("/events.add_batch", basic, "application/json-lines", "\n").subcode()).isEqualTo(17);
        assertThat(post("/events.add_batch", basic, "application/json-lines", "{\"type\":\"log\",\"task\":\"" + task
                + "\"}\n\n{\"type\":\"log\",\"task\":\"" + task + "\"}").http()).isEqualTo(400);
        Answer none = post("/events.add_batch", basic, "application/json-lines", "{\"type\":\"log\",\"task\":\"nope\"}\n");
        assertThat(none.subcode()).isEqualTo(131);
        assertThat(none.msg()).contains("Invalid task id nope=1");
        Answer partly = post("/events.add_batch", basic, "application/json-lines",
                "{\"type\":\"log\",\"task\":\"nope\"}\n{\"type\":\"log\",\"task\":\"" + task + "\",\"timestamp\":4}\n");
        assertThat(partly.data().path("added").asInt()).isEqualTo(1);
        assertThat(partly.data().path("errors").asInt()).isEqualTo(1);
        assertThat(server.logLines(task)).containsExactly("a", "b", "c", "");
        assertThat(server.logEvents(task).get(0).worker()).isEqualTo("test-worker");
    }

    @Test
    void getTaskLogPagesNewestFirstByDefault() throws Exception {
        String task = server.createTask("paging");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            lines.append("{\"type\":\"log\",\"task\":\"").append(task).append("\",\"timestamp\":")
                    .append(1000 + i).append(",\"msg\":\"m").append(i).append("\"}\n");
        }
        post("/events.add_batch", basic, "application/json-lines", lines.toString());
        JsonNode page = ok("events.get_task_log", Map.of("task", task, "batch_size", 4));
        assertThat(msgs(page)).containsExactly("m9", "m8", "m7", "m6");
        assertThat(page.path("total").asInt()).isEqualTo(10);
        JsonNode next = ok("events.get_task_log", Map.of("task", task, "batch_size", 4, "from_timestamp", 1006));
        assertThat(msgs(next)).containsExactly("m5", "m4", "m3", "m2");
        JsonNode asc = ok("events.get_task_log", Map.of("task", task, "batch_size", 3, "navigate_earlier", false,
                "from_timestamp", 1002));
        assertThat(msgs(asc)).containsExactly("m3", "m4", "m5");
        JsonNode flipped = ok("events.get_task_log", Map.of("task", task, "batch_size", 2, "order", "asc"));
        assertThat(msgs(flipped)).containsExactly("m8", "m9");
    }

    private static List<String> msgs(JsonNode data) {
        List<String> out = new ArrayList<>();
        data.path("events").forEach(e -> out.add(e.path("msg").asText()));
        return out;
    }

    // ---- faults ----------------------------------------------------------------------------------------------

    @Test
    void refusesConnectionsForAPeriodThenListensOnTheSamePort() throws Exception {
        int port = server.port();
        server.refuseConnectionsFor(Duration.ofSeconds(1));
        server.refuseConnectionsFor(Duration.ofSeconds(5));
        assertThat(server.listening()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> post("/debug.ping", null, null, ""))
                .isInstanceOf(java.io.IOException.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.listening() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.port()).isEqualTo(port);
        assertThat(post("/debug.ping", null, null, "").http()).isEqualTo(200);
    }

    @Test
    void faultsAnswerInsteadOfTheApiAndCountRequests() throws Exception {
        server.faults().failNext(Fault.SERVICE_UNAVAILABLE, 2, "debug.ping");
        assertThat(post("/debug.ping", null, null, "").http()).isEqualTo(503);
        assertThat(post("/server.info", basic, null, "").http()).isEqualTo(200);
        assertThat(post("/debug.ping", null, null, "").http()).isEqualTo(503);
        assertThat(post("/debug.ping", null, null, "").http()).isEqualTo(200);
        assertThat(server.requestCount("debug.ping")).isEqualTo(3);
        server.faults().failNext(Fault.HTML_PAGE, 1);
        Request r = new Request.Builder().url(server.apiUrl() + "/debug.ping").build();
        try (Response resp = http.newCall(r).execute()) {
            assertThat(resp.code()).isEqualTo(200);
            assertThat(resp.body().string()).startsWith("<!DOCTYPE html>");
        }
        server.faults().failFor(Fault.INTERNAL_ERROR_PLAIN_TEXT, Duration.ofMinutes(2));
        assertThat(server.faults().active()).isTrue();
        assertThat(post("/debug.ping", null, null, "").raw()).isEqualTo("Failed processing request /debug.ping");
        server.faults().clear();
        assertThat(post("/debug.ping", null, null, "").http()).isEqualTo(200);
    }
}
