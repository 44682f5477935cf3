package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session tokens: JWTs signed HS256 with a per-server random key, carrying the claims the real server puts in them
 * ({@code identity}, {@code exp}, {@code api_version}...). Issued tokens are remembered so that they can be
 * revoked ({@code auth.logout}) or expired on purpose by tests.
 */
final class TokenStore {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final byte[] key = new byte[32];
    private final ServerState state;
    /** The lifetime of a token when {@code auth.login} names none (the real default is 30 days). */
    volatile long defaultLifetimeSeconds = MiscEndpoints.DEFAULT_EXPIRATION_S;

    TokenStore(ServerState state) {
        this.state = state;
        new SecureRandom().nextBytes(key);
    }

    String issue(long expirationSeconds) {
        Instant now = state.now();
        Instant exp = now.plusSeconds(expirationSeconds);
        ObjectNode claims = ServerState.NODES.objectNode();
        ObjectNode identity = claims.putObject("identity");
        identity.put("user", LocalClearMLServer.USER_ID).put("company", LocalClearMLServer.COMPANY_ID)
                .put("role", "user").put("user_name", LocalClearMLServer.USER_NAME).put("company_name", "local");
        claims.put("iat", now.getEpochSecond()).put("exp", exp.getEpochSecond())
                .put("session_id", ServerState.newId()).put("env", "local").put("auth_type", "Bearer")
                .put("api_version", LocalClearMLServer.MAX_VERSION).put("server_version", LocalClearMLServer.SERVER_VERSION)
                .put("server_build", "local").put("feature_set", "basic");
        String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String unsigned = header + "." + payload;
        String token = unsigned + "." + B64.encodeToString(sign(unsigned));
        expiries.put(token, exp);
        return token;
    }

    /** Throws 401/30 unless the token was issued here, not revoked and not expired. */
    void check(String token) {
        Instant exp = expiries.get(token);
        if (exp == null) {
            throw new ApiError(401, 30, "Invalid token (invalid jwt token): reason=Signature verification failed");
        }
        if (!exp.isAfter(state.now())) {
            throw new ApiError(401, 30, "Invalid token (invalid jwt token): reason=Signature has expired");
        }
    }

    void revoke(String token) {
        expiries.remove(token);
    }

    /** Makes every issued token expired (test hook). */
    void expireAll() {
        Instant past = state.now().minusSeconds(1);
        expiries.replaceAll((t, e) -> past);
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
