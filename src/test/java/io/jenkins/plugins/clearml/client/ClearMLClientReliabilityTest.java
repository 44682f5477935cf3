package io.jenkins.plugins.clearml.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.clearml.localserver.Fault;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outages, lost answers, wrong addresses and wrong credentials: what the client repeats and what it says. */
class ClearMLClientReliabilityTest {

    private LocalClearMLServer server;
    private ClearMLClient client;

    @BeforeEach
    void start() throws Exception {
        server = new LocalClearMLServer().start();
        client = clientFor(server.apiUrl(), server.credentials(), Duration.ofSeconds(20), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ClearMLClient clientFor(String url, Credentials credentials, Duration retryWindow, Duration readTimeout) {
        return new ClearMLClient(new ClientSettings(ServerEndpoint.of(url), credentials, "node-1",
                Duration.ofSeconds(2), readTimeout, retryWindow));
    }

    @Test
    void safeCallsRideOutAnOutageOf503s() throws Exception {
        String task = server.createTask("outage");
        client.login();
        server.faults().failFor(Fault.SERVICE_UNAVAILABLE, Duration.ofSeconds(2));
        client.started(task, "", "pulled by agent", true);
        assertThat(server.task(task).status()).isEqualTo("in_progress");
        assertThat(server.requestCount("tasks.started")).isGreaterThan(1);
    }

    @Test
    void safeCallsRideOutRefusedConnections() throws Exception {
        String task = server.createTask("refused");
        client.login();
        server.refuseConnectionsFor(Duration.ofSeconds(2));
        client.started(task, "", "", true);
        assertThat(server.task(task).status()).isEqualTo("in_progress");
    }

    @Test
    void givesUpAfterTheRetryWindowWithATransientError() throws Exception {
        String task = server.createTask("long outage");
        try (ClearMLClient shortWindow = clientFor(server.apiUrl(), server.credentials(), Duration.ofSeconds(1),
                Duration.ofSeconds(10))) {
            shortWindow.login();
            server.faults().failFor(Fault.SERVICE_UNAVAILABLE, Duration.ofSeconds(30));
            ClearMLException e = catchThrowableOfType(ClearMLException.class, () -> shortWindow.ping(task));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.resultCode()).isEqualTo(503);
            assertThat(e.getMessage()).contains("gave up after", "HTTP 503", server.apiUrl());
        }
    }

    @Test
    void aStalledAnswerIsRepeatedAfterTheReadTimeout() throws Exception {
        String task = server.createTask("stall");
        try (ClearMLClient quick = clientFor(server.apiUrl(), server.credentials(), Duration.ofSeconds(20),
                Duration.ofSeconds(1))) {
            quick.login();
            server.faults().stallTime(Duration.ofSeconds(5)).failNext(Fault.STALL, 1, "tasks.get_by_id");
            assertThat(quick.getTask(task).name()).isEqualTo("stall");
            assertThat(server.requestCount("tasks.get_by_id")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void anInterruptStopsTheRetriesAtOnce() throws Exception {
        String task = server.createTask("interrupt");
        client.login();
        server.faults().failFor(Fault.SERVICE_UNAVAILABLE, Duration.ofSeconds(60));
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.ping(task);
            } catch (ClearMLException e) {
                failure.set(e);
            }
        });
        caller.start();
        while (server.requestCount("tasks.ping") < 2) {
            Thread.sleep(20);
        }
        caller.interrupt();
        caller.join(10_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(ClearMLException.class).hasMessageContaining("tasks.ping");
    }

    @Test
    void logBatchesAreNeverRepeatedByTheClient() throws Exception {
        String task = server.createTask("no dup");
        client.login();
        server.faults().failNext(Fault.SERVICE_UNAVAILABLE, 1, "events.add_batch");
        ClearMLException e = catchThrowableOfType(ClearMLException.class,
                () -> client.addLogEvents(List.of(new LogEvent(task, "w", "info", "once", 1L))));
        assertThat(e.isTransient()).isTrue();
        assertThat(server.requestCount("events.add_batch")).isEqualTo(1);
        assertThat(server.logLines(task)).isEmpty();

        server.faults().failNext(Fault.LOSE_ANSWER, 1, "events.add_batch");
        e = catchThrowableOfType(ClearMLException.class,
                () -> client.addLogEvents(List.of(new LogEvent(task, "w", "info", "stored, answer lost", 2L))));
        assertThat(e.isTransient()).isTrue();
        assertThat(server.logLines(task)).containsExactly("stored, answer lost");
        assertThat(client.addLogEvents(List.of(new LogEvent(task, "w", "info", "next", 3L)))).isEqualTo(1);
    }

    @Test
    void logBatchesToAStoppedServerFailAsTransient() throws Exception {
        String task = server.createTask("down");
        client.login();
        server.refuseConnectionsFor(Duration.ofSeconds(30));
        // the first call may meet the pooled connection the server just closed, the next one finds no server
        for (int i = 0; i < 2; i++) {
            ClearMLException e = catchThrowableOfType(ClearMLException.class,
                    () -> client.addLogEvents(List.of(new LogEvent(task, "w", "info", "x", 1L))));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains(server.apiUrl());
            if (i == 1) {
                assertThat(e.getMessage()).contains("Cannot connect", "connection refused");
            }
        }
        assertThat(server.logLines(task)).isEmpty();
    }

    @Test
    void aPopIsNotRepeatedAfterALostAnswerButIsAfterARefusal() throws Exception {
        String queue = server.createQueue("pops");
        String a = server.createTask("a");
        String b = server.createTask("b");
        server.enqueue(a, queue);
        server.enqueue(b, queue);
        client.login();
        server.faults().failNext(Fault.LOSE_ANSWER, 1, "queues.get_next_task");
        assertThatThrownBy(() -> client.getNextTask(queue)).isInstanceOf(ClearMLException.class);
        assertThat(server.requestCount("queues.get_next_task")).isEqualTo(1);
        assertThat(server.queueTaskIds(queue)).containsExactly(b);

        server.faults().failNext(Fault.SERVICE_UNAVAILABLE, 1, "queues.get_next_task");
        assertThat(client.getNextTask(queue)).contains(b);
    }

    @Test
    void aDequeueWhoseAnswerIsLostIsReportedNotRepeated() throws Exception {
        String task = server.createTask("dequeue once");
        server.enqueue(task, server.defaultQueueId());
        client.login();
        server.faults().failNext(Fault.LOSE_ANSWER, 1, "tasks.dequeue");
        ClearMLException e = catchThrowableOfType(ClearMLException.class, () -> client.dequeue(task, TaskStatus.CREATED));
        assertThat(e.isTransient()).isTrue();
        assertThat(server.requestCount("tasks.dequeue")).isEqualTo(1);
        assertThat(client.getTaskState(task).orElseThrow().status()).isEqualTo(TaskStatus.CREATED);
    }

    @Test
    void aRepeatedEnqueueAfterALostAnswerSucceedsOnce() throws Exception {
        String task = server.createTask("enqueue once");
        client.login();
        server.faults().failNext(Fault.LOSE_ANSWER, 1, "tasks.enqueue");
        client.enqueue(task, null, "");
        assertThat(server.requestCount("tasks.enqueue")).isEqualTo(2);
        assertThat(server.task(task).status()).isEqualTo("queued");
        assertThat(server.queueTaskIds(server.defaultQueueId())).containsExactly(task);
    }

    @Test
    void anHtmlAnswerNamesTheAddressAndTheLikelyMistake() throws Exception {
        server.faults().failNext(Fault.HTML_PAGE, 1);
        ClearMLException e = catchThrowableOfType(ClearMLException.class, client::login);
        assertThat(e.getMessage()).contains("The server at " + server.apiUrl(),
                "did not answer auth.login like a ClearML API server (HTTP 200, body starts with '<!DOCTYPE html",
                "port 8008");
        assertThat(e.isTransient()).isFalse();
        assertThat(server.requestCount("auth.login")).isEqualTo(1);
    }

    @Test
    void garbageAndPlainText500AreReportedClearly() throws Exception {
        String task = server.createTask("garbage");
        client.login();
        server.faults().failNext(Fault.GARBAGE, 1);
        ClearMLException e = catchThrowableOfType(ClearMLException.class, () -> client.getTask(task));
        assertThat(e.getMessage()).contains("did not answer tasks.get_by_id like a ClearML API server (HTTP 200");

        try (ClearMLClient noWindow = clientFor(server.apiUrl(), server.credentials(), Duration.ZERO, Duration.ofSeconds(5))) {
            server.faults().failNext(Fault.INTERNAL_ERROR_PLAIN_TEXT, 2);
            e = catchThrowableOfType(ClearMLException.class, () -> noWindow.getTask(task));
            assertThat(e.getMessage()).contains("HTTP 500", "body starts with 'Failed processing request");
            assertThat(e.isTransient()).isTrue();
        }
    }

    @Test
    void wrongCredentialsNameTheCodeAndTheSettingsButNotTheSecret() {
        String secret = "s3cr3t-value-that-must-never-be-printed";
        try (ClearMLClient wrong = clientFor(server.apiUrl(), new Credentials(server.credentials().accessKey(), secret),
                Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            ClearMLException e = catchThrowableOfType(ClearMLException.class, () -> wrong.ping("x"));
            assertThat(e.isAuthenticationFailure()).isTrue();
            assertThat(e.getMessage()).contains("401/22", "invalid credentials", server.credentials().accessKey(),
                    "CLEARML_API_ACCESS_KEY", "CLEARML_API_SECRET_KEY", "api.credentials.secret_key");
            assertThat(e.getMessage()).doesNotContain(secret);
            assertThat(server.requestCount("auth.login")).isEqualTo(1);
        }
    }

    @Test
    void aRedirectNamesTheNewAddressInsteadOfLosingTheBody() throws Exception {
        com.sun.net.httpserver.HttpServer redirector = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        redirector.createContext("/", ex -> {
            ex.getResponseHeaders().set("Location", "https://clearml.example.com/api" + ex.getRequestURI().getPath());
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        redirector.start();
        String url = "http://127.0.0.1:" + redirector.getAddress().getPort();
        try (ClearMLClient redirected = clientFor(url, server.credentials(), Duration.ZERO, Duration.ofSeconds(5))) {
            ClearMLException e = catchThrowableOfType(ClearMLException.class, redirected::login);
            assertThat(e.getMessage()).contains("redirected auth.login (HTTP 301) to https://clearml.example.com/api/v2.26/auth.login",
                    "final address");
            assertThat(e.isTransient()).isFalse();
        } finally {
            redirector.stop(0);
        }
    }

    @Test
    void aRefusedConnectionNamesTheUrl() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + freePort;
        try (ClearMLClient nowhere = clientFor(url, server.credentials(), Duration.ZERO, Duration.ofSeconds(5))) {
            ClearMLException e = catchThrowableOfType(ClearMLException.class, nowhere::login);
            assertThat(e.getMessage()).contains("Cannot connect to the ClearML API server at " + url,
                    "connection refused", "CLEARML_API_HOST");
            assertThat(e.isTransient()).isTrue();
        }
    }

    @Test
    void aFixedTokenIsUsedAsIsAndItsRefusalExplained() throws Exception {
        String task = server.createTask("token");
        String token;
        try (ClearMLClient normal = clientFor(server.apiUrl(), server.credentials(), Duration.ZERO, Duration.ofSeconds(5))) {
            normal.login();
            // the token is not observable from outside; log in over HTTP the way a user would get one
            token = new java.util.concurrent.atomic.AtomicReference<>(loginToken()).get();
        }
        try (ClearMLClient withToken = new ClearMLClient(ClientSettings.of(ServerEndpoint.of(server.apiUrl()),
                new Credentials("", ""), "n"), token)) {
            withToken.ping(task);
            assertThat(server.requestCount("auth.login")).isEqualTo(2);
            server.expireTokens();
            ClearMLException e = catchThrowableOfType(ClearMLException.class, () -> withToken.ping(task));
            assertThat(e.getMessage()).contains("CLEARML_AUTH_TOKEN", "401/30").doesNotContain(token);
        }
    }

    private String loginToken() throws Exception {
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
        okhttp3.Request r = new okhttp3.Request.Builder().url(server.apiUrl() + "/auth.login")
                .header("Authorization", okhttp3.Credentials.basic(server.credentials().accessKey(),
                        server.credentials().secretKey()))
                .post(okhttp3.RequestBody.create(new byte[0], null)).build();
        try (okhttp3.Response resp = http.newCall(r).execute()) {
            return ApiTransport.JSON.readTree(resp.body().bytes()).path("data").path("token").asText();
        }
    }

    @Test
    void noExceptionMessageCarriesTheSecretOrAToken() throws Exception {
        List<String> messages = new ArrayList<>();
        String task = server.createTask("secrets");
        client.login();
        for (Fault f : List.of(Fault.HTML_PAGE, Fault.GARBAGE, Fault.INTERNAL_ERROR_PLAIN_TEXT)) {
            server.faults().failNext(f, 100);
            messages.add(catchThrowableOfType(ClearMLException.class,
                    () -> clientFor(server.apiUrl(), server.credentials(), Duration.ZERO, Duration.ofSeconds(5))
                            .getTask(task)).getMessage());
            server.faults().clear();
        }
        messages.add(catchThrowableOfType(ClearMLException.class, () -> client.completed(task, "", "")).getMessage());
        server.expireTokens();
        try (ClearMLClient wrong = clientFor(server.apiUrl(), new Credentials("AK", server.credentials().secretKey() + "x"),
                Duration.ZERO, Duration.ofSeconds(5))) {
            messages.add(catchThrowableOfType(ClearMLException.class, wrong::login).getMessage());
        }
        assertThat(messages).hasSize(5).allSatisfy(m -> assertThat(m)
                .doesNotContain(server.credentials().secretKey())
                .doesNotContain("eyJ")
                .doesNotContain("Bearer")
                .doesNotContain("Basic "));
    }
}
