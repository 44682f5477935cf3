package io.jenkins.plugins.clearml.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP side of {@link ClearMLClient}: one OkHttp client (connection pool) per instance, the session token, the
 * envelope, retries and the error messages. Thread-safe.
 *
 * <p>The API version is pinned to {@value #API_VERSION} in every URL: the server serves each call with the
 * newest implementation at or below the requested version, and response shapes depend on it (section 8 of the API
 * contract). 2.26 (server 1.12, 2023) is the lowest version with {@code tasks.dequeue new_status}, which the
 * dispatcher uses to put a task back exactly as it was; it also has {@code get_task_log}'s timestamp paging
 * (2.9), {@code container} (2.13) and {@code get_task_info} (2.14). Older servers accept the path too (requested
 * versions above their maximum are allowed) and simply ignore the newer fields.
 */
final class ApiTransport implements AutoCloseable {

    static final String API_VERSION = "2.26";
    static final ObjectMapper JSON = new ObjectMapper();
    static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** Exactly this, with no charset: the server compares the whole header (see the API contract, section 2). */
    static final MediaType JSON_LINES_TYPE = MediaType.get("application/json-lines");

    private static final Logger LOG = Logger.getLogger(ApiTransport.class.getName());
    private static final String AGENT = "clearml-jenkins/" + version();

    private final ClientSettings settings;
    private final HttpUrl base;
    private final String displayUrl;
    private final OkHttpClient http;
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();
    private final Object loginLock = new Object();
    private volatile String token;
    private volatile long tokenRefreshAtMillis = Long.MAX_VALUE;
    private final boolean fixedToken;

    ApiTransport(ClientSettings given, String authToken) {
        this.settings = withDefaults(given);
        HttpUrl parsed = HttpUrl.parse(this.settings.endpoint().apiUrl());
        if (parsed == null) {
            throw new IllegalArgumentException("The ClearML API server address '" + settings.endpoint().apiUrl()
                    + "' is not an http(s) URL: set api.api_server in clearml.conf, CLEARML_API_HOST or --api-host,"
                    + " e.g. http://clearml.example.com:8008");
        }
        this.base = parsed;
        // never show user info that somebody put in the URL
        this.displayUrl = parsed.newBuilder().username("").password("").build().toString().replaceAll("/$", "");
        // OkHttp's own silent resend after a broken connection is off: every repeat goes through the retry policy,
        // so that a call that must not run twice never does, and a repeat is known to be one.
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (!parsed.isHttps()) {
            // Plain http only (redirects are not followed): OkHttp then never sets up TLS, whose trust store and
            // providers take a cold JVM about 0.2 s to load.
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.http = builder
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .retryOnConnectionFailure(false)
                // a redirected POST would arrive as a GET without its body: report the new address instead
                .followRedirects(false)
                .followSslRedirects(false)
                // Idle connections are dropped before common server keep-alive limits (uvicorn and others: 5 s), so
                // that a call rarely meets a connection the server already closed; such a failure is ambiguous
                // (sent or not?) and calls that must not run twice cannot repeat it.
                .connectionPool(new ConnectionPool(8, 4, TimeUnit.SECONDS))
                .build();
        this.fixedToken = authToken != null && !authToken.isBlank();
        this.token = fixedToken ? authToken.trim() : null;
    }

    /** Missing timeouts take the defaults of {@link ClientSettings#of}; a negative retry window means none. */
    private static ClientSettings withDefaults(ClientSettings s) {
        if (s == null || s.endpoint() == null) {
            throw new IllegalArgumentException("The ClearML API server address is not set: set api.api_server in"
                    + " clearml.conf, CLEARML_API_HOST or --api-host");
        }
        ClientSettings d = ClientSettings.of(s.endpoint(), s.credentials(), s.workerId());
        Duration window = s.retryWindow() == null ? d.retryWindow() : s.retryWindow();
        return new ClientSettings(s.endpoint(), s.credentials(), s.workerId(),
                positiveOr(s.connectTimeout(), d.connectTimeout()), positiveOr(s.readTimeout(), d.readTimeout()),
                window.isNegative() ? Duration.ZERO : window);
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }

    String displayUrl() {
        return displayUrl;
    }

    // ---- calls -----------------------------------------------------------------------------------------------

    /** A JSON call; returns the envelope's {@code data}. */
    JsonNode call(String endpoint, Object body, RetryPolicy policy) throws ClearMLException {
        return call(endpoint, body, policy, e -> false);
    }

    /**
     * A JSON call where an error that a repeated attempt gets back means the first attempt (whose answer was lost)
     * did the work, e.g. 706 "already queued" after a repeated {@code tasks.enqueue}; then {@code data} is empty.
     */
    JsonNode call(String endpoint, Object body, RetryPolicy policy, Predicate<ClearMLException> doneOnRepeat)
            throws ClearMLException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the " + endpoint + " request as JSON", e);
        }
        return withRetries(endpoint, bytes, JSON_TYPE, policy, doneOnRepeat);
    }

    /** A json-lines batch ({@code events.add_batch}); never repeated here. */
    JsonNode callJsonLines(String endpoint, byte[] body) throws ClearMLException {
        return withRetries(endpoint, body, JSON_LINES_TYPE, RetryPolicy.NEVER, e -> false);
    }

    private JsonNode withRetries(String endpoint, byte[] body, MediaType type, RetryPolicy policy,
                                 Predicate<ClearMLException> doneOnRepeat) throws ClearMLException {
        return new RetryLoop(endpoint, settings.retryWindow()).doneOnRepeat(doneOnRepeat).logRepeatsTo(LOG)
                .run(() -> authenticated(endpoint, body, type, policy), e -> retryable(e, policy));
    }

    private static boolean retryable(ClearMLException e, RetryPolicy policy) {
        if (policy == RetryPolicy.NEVER || Thread.currentThread().isInterrupted() || interrupted(e)) {
            return false;
        }
        if (e instanceof TransportFailure f) {
            return switch (f.kind) {
                case NOT_CONNECTED -> true;
                case NO_ANSWER -> policy == RetryPolicy.IDEMPOTENT;
                case NOT_CLEARML -> f.httpStatus == 429 || f.httpStatus == 503
                        || (policy == RetryPolicy.IDEMPOTENT && f.httpStatus >= 500);
            };
        }
        int code = e.resultCode();
        return code == 429 || code == 503 || (policy == RetryPolicy.IDEMPOTENT && (code == 502 || code == 504));
    }

    /** An OkHttp call cut short by {@link Thread#interrupt()} (an abort), not by a timeout. */
    private static boolean interrupted(ClearMLException e) {
        Throwable cause = e.getCause();
        return cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException);
    }

    /** One attempt with the session token; on 401 logs in again once and repeats (the server did nothing). */
    private JsonNode authenticated(String endpoint, byte[] body, MediaType type, RetryPolicy policy)
            throws ClearMLException {
        String used = currentToken();
        try {
            return send(endpoint, body, type, "Bearer " + used, policy);
        } catch (ClearMLException e) {
            if (!e.isAuthenticationFailure() || fixedToken) {
                throw fixedToken && e.isAuthenticationFailure() ? tokenRefused(e) : e;
            }
            relogin(used);
            return send(endpoint, body, type, "Bearer " + token, policy);
        }
    }

    private String currentToken() throws ClearMLException {
        String t = token;
        if (t == null || (!fixedToken && System.currentTimeMillis() >= tokenRefreshAtMillis)) {
            relogin(t);
            t = token;
        }
        return t;
    }

    /** Logs in unless another thread already replaced {@code stale}. */
    private void relogin(String stale) throws ClearMLException {
        synchronized (loginLock) {
            if (token != null && !token.equals(stale) && System.currentTimeMillis() < tokenRefreshAtMillis) {
                return;
            }
            login();
        }
    }

    void login() throws ClearMLException {
        if (fixedToken) {
            return;
        }
        Credentials c = settings.credentials();
        if (c == null || !c.isComplete()) {
            throw new ClearMLException("auth.login", 0, 0, "No ClearML credentials are configured for " + displayUrl
                    + ": set CLEARML_API_ACCESS_KEY and CLEARML_API_SECRET_KEY (or api.credentials.access_key and"
                    + " api.credentials.secret_key in clearml.conf)");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (c.accessKey() + ":" + c.secretKey()).getBytes(StandardCharsets.UTF_8));
        JsonNode data;
        synchronized (loginLock) {
            try {
                data = withRetriesRaw("auth.login", basic);
            } catch (ClearMLException e) {
                throw e.isAuthenticationFailure() ? credentialsRefused(e, c) : e;
            }
            String t = data.path("token").asText("");
            if (t.isEmpty()) {
                throw new ClearMLException("auth.login", 0, 0, "The server at " + displayUrl
                        + " answered auth.login without a token: check that the API address points at a ClearML API server");
            }
            token = t;
            tokenRefreshAtMillis = refreshTime(t);
        }
    }

    private JsonNode withRetriesRaw(String endpoint, String authorization) throws ClearMLException {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        return new RetryLoop(endpoint, settings.retryWindow())
                .run(() -> send(endpoint, empty, JSON_TYPE, authorization, RetryPolicy.IDEMPOTENT),
                        e -> retryable(e, RetryPolicy.IDEMPOTENT));
    }

    /**
     * When to log in again: after 90 % of the token's life ({@code exp - iat}), counted on this machine's clock so
     * that a skewed server clock cannot cause a login per call; never if the token cannot be read.
     */
    private static long refreshTime(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            if (parts.length < 2) {
                return Long.MAX_VALUE;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long life = claims.path("exp").asLong(0) - claims.path("iat").asLong(0);
            if (claims.path("exp").asLong(0) <= 0 || claims.path("iat").asLong(0) <= 0 || life <= 0) {
                return Long.MAX_VALUE;
            }
            return System.currentTimeMillis() + life * 900;
        } catch (IOException | IllegalArgumentException e) {
            return Long.MAX_VALUE;
        }
    }

    private ClearMLException credentialsRefused(ClearMLException e, Credentials c) {
        return new ClearMLException(e.endpoint(), e.resultCode(), e.resultSubcode(),
                "The ClearML server at " + displayUrl + " refused the credentials of access key '" + c.accessKey()
                        + "' (" + e.resultCode() + "/" + e.resultSubcode() + " " + authReason(e.resultSubcode())
                        + "): check CLEARML_API_ACCESS_KEY and CLEARML_API_SECRET_KEY (or api.credentials.access_key"
                        + " and api.credentials.secret_key in clearml.conf); a key pair is created in the web UI under"
                        + " Settings > Workspace > API Credentials", null);
    }

    private ClearMLException tokenRefused(ClearMLException e) {
        return new ClearMLException(e.endpoint(), e.resultCode(), e.resultSubcode(),
                "The ClearML server at " + displayUrl + " refused the session token from CLEARML_AUTH_TOKEN ("
                        + e.resultCode() + "/" + e.resultSubcode() + " " + authReason(e.resultSubcode())
                        + "): it expired or was revoked; set a fresh token or use an access key and secret key", null);
    }

    private static String authReason(int subcode) {
        return switch (subcode) {
            case 20 -> "missing credentials";
            case 10 -> "bad authentication header type";
            case 21 -> "malformed credentials";
            case 22 -> "invalid credentials";
            case 30 -> "invalid token";
            default -> "unauthorized";
        };
    }

    // ---- one HTTP exchange -----------------------------------------------------------------------------------

    private JsonNode send(String endpoint, byte[] body, MediaType type, String authorization, RetryPolicy policy)
            throws ClearMLException {
        HttpUrl url = urls.computeIfAbsent(endpoint,
                name -> base.newBuilder().addPathSegment("v" + API_VERSION).addPathSegment(name).build());
        String worker = settings.workerId() == null ? "" : settings.workerId();
        Request.Builder request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(body, type))
                .header("Authorization", authorization)
                .header("X-ClearML-Agent", AGENT)
                .header("X-Trains-Agent", AGENT)
                .header("User-Agent", AGENT);
        if (!worker.isEmpty()) {
            request.header("X-ClearML-Worker", worker).header("X-Trains-Worker", worker);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            ResponseBody rb = response.body();
            byte[] bytes = rb == null ? new byte[0] : rb.bytes();
            if (response.isRedirect() && !looksLikeEnvelope(bytes)) {
                throw redirected(endpoint, response);
            }
            return parse(endpoint, response.code(), bytes);
        } catch (ClearMLException e) {
            throw e;
        } catch (IOException e) {
            throw networkFailure(endpoint, e);
        }
    }

    private static boolean looksLikeEnvelope(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private TransportFailure redirected(String endpoint, Response response) {
        String location = response.header("Location", "");
        HttpUrl target = location.isEmpty() ? null : response.request().url().resolve(location);
        String shown = target == null ? "another address"
                : target.newBuilder().username("").password("").query(null).build().toString();
        return new TransportFailure(endpoint, TransportFailure.Kind.NOT_CLEARML, response.code(),
                "The server at " + displayUrl + " redirected " + endpoint + " (HTTP " + response.code() + ") to "
                        + shown + ": set the API address to the server's final address (for example https instead"
                        + " of http), since a redirected call would lose its body", null);
    }

    private JsonNode parse(String endpoint, int httpStatus, byte[] bytes) throws ClearMLException {
        JsonNode root = null;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            // handled below as "not a ClearML answer"
        }
        JsonNode meta = root == null ? null : root.get("meta");
        if (meta == null || !meta.isObject() || !meta.has("result_code")) {
            throw notClearML(endpoint, httpStatus, bytes);
        }
        int code = meta.path("result_code").asInt(httpStatus);
        if (code == 200) {
            JsonNode data = root.get("data");
            return data == null || data.isNull() ? JSON.createObjectNode() : data;
        }
        int subcode = meta.path("result_subcode").asInt(0);
        String msg = meta.path("result_msg").asText("");
        return throwEnvelopeError(endpoint, code, subcode, msg);
    }

    private static JsonNode throwEnvelopeError(String endpoint, int code, int subcode, String msg) throws ClearMLException {
        throw new ClearMLException(endpoint, code, subcode,
                "ClearML API call " + endpoint + " failed with " + code + "/" + subcode + ": " + msg);
    }

    private TransportFailure notClearML(String endpoint, int httpStatus, byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.UTF_8).strip()
                .replaceAll("[\\p{Cntrl}\\uFFFD]", "?");
        String what = bytes.length == 0 ? "an empty body" : "body starts with '" + start + "'";
        String hint;
        if (httpStatus >= 500 || httpStatus == 429) {
            hint = "the server or a proxy in front of it is unavailable or overloaded";
        } else {
            hint = "check that the API address points at the API server (port 8008), not the web UI (8080) or the"
                    + " file server (8081)";
        }
        return new TransportFailure(endpoint, TransportFailure.Kind.NOT_CLEARML, httpStatus,
                "The server at " + displayUrl + " did not answer " + endpoint + " like a ClearML API server (HTTP "
                        + httpStatus + ", " + what + "): " + hint, null);
    }

    private TransportFailure networkFailure(String endpoint, IOException e) {
        String host = base.host() + ":" + base.port();
        if (e instanceof UnknownHostException) {
            return new TransportFailure(endpoint, TransportFailure.Kind.NOT_CONNECTED, 0,
                    "Cannot reach the ClearML API server at " + displayUrl + " (unknown host " + base.host()
                            + "): check the API address (api.api_server in clearml.conf, CLEARML_API_HOST or --api-host)"
                            + " and this machine's DNS", e);
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        boolean connectTimeout = e instanceof SocketTimeoutException && message.contains("connect");
        if (e instanceof ConnectException || e instanceof NoRouteToHostException || connectTimeout) {
            String why = connectTimeout ? "connect timed out after " + settings.connectTimeout().toSeconds() + " s"
                    : e instanceof NoRouteToHostException ? "no route to host" : "connection refused";
            return new TransportFailure(endpoint, TransportFailure.Kind.NOT_CONNECTED, 0,
                    "Cannot connect to the ClearML API server at " + displayUrl + " (" + why + " on " + host
                            + "): check that the server is running and that the API address (api.api_server in"
                            + " clearml.conf, CLEARML_API_HOST or --api-host) points at its API port (8008 by default)",
                    e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new TransportFailure(endpoint, TransportFailure.Kind.NO_ANSWER, 0,
                    "The ClearML API server at " + displayUrl + " did not answer " + endpoint + " within "
                            + settings.readTimeout().toSeconds() + " s", e);
        }
        return new TransportFailure(endpoint, TransportFailure.Kind.NO_ANSWER, 0,
                "The connection to the ClearML API server at " + displayUrl + " broke during " + endpoint + " ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }

    private static String version() {
        String v = ApiTransport.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
