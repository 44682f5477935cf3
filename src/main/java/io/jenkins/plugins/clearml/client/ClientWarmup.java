package io.jenkins.plugins.clearml.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Loads the client's HTTP and JSON stack (OkHttp with the Kotlin runtime, Jackson) ahead of use: in a fresh JVM,
 * loading and linking those classes is a large part of the time to the first API call. Run on a background thread
 * by short-lived command lines (see {@code cli.StartupWarmup}). Nothing is sent and nothing is kept; a failure here
 * only means no head start.
 */
public final class ClientWarmup {

    private static final String SAMPLE = "{\"meta\":{\"result_code\":200,\"result_subcode\":0,\"result_msg\":\"OK\"},"
            + "\"data\":{\"task\":{\"id\":\"t\",\"name\":\"n\",\"status\":\"queued\",\"script\":{\"binary\":\"python3\","
            + "\"repository\":\"r\",\"requirements\":{\"pip\":\"\"}},\"container\":{},\"hyperparams\":{\"Args\":{\"a\":"
            + "{\"section\":\"Args\",\"name\":\"a\",\"value\":\"1\"}}},\"runtime\":{},\"execution\":{}}}}";

    private ClientWarmup() {
    }

    public static void warmUp() {
        try {
            JsonNode envelope = ApiTransport.JSON.readTree(SAMPLE);
            TaskMapper.task(envelope.path("data").path("task"));
            ObjectNode body = ApiTransport.JSON.createObjectNode().put("task", "t");
            body.putArray("only_fields").add("status");
            byte[] bytes = ApiTransport.JSON.writeValueAsBytes(body);
            OkHttpClient http = new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
            HttpUrl url = HttpUrl.get("http://127.0.0.1:8008/v2.26/tasks.get_by_id");
            http.newCall(new Request.Builder().url(url).post(RequestBody.create(bytes, ApiTransport.JSON_TYPE))
                    .header("Authorization", "Bearer x").build());
        } catch (Exception | LinkageError e) {
            // only a head start: the real client loads whatever is missing
        }
    }
}
