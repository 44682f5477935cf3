package io.jenkins.plugins.clearml.localserver;

import io.jenkins.plugins.clearml.client.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Checks the {@code Authorization} header: Basic with the key pair, or Bearer with a token, with the 401 subcodes. */
final class Authenticator {

    private final Credentials credentials;
    private final TokenStore tokens;

    Authenticator(Credentials credentials, TokenStore tokens) {
        this.credentials = credentials;
        this.tokens = tokens;
    }

    void authenticate(String header, ApiCall call) {
        if (header == null || header.isBlank()) {
            throw new ApiError(401, 20, "Unauthorized (missing credentials)");
        }
        if (header.startsWith("Basic ")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiError(401, 21, "Unauthorized (malformed credentials)");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new ApiError(401, 21, "Unauthorized (malformed credentials)");
            }
            if (!decoded.substring(0, colon).equals(credentials.accessKey())
                    || !constantTimeEquals(decoded.substring(colon + 1), credentials.secretKey())) {
                throw new ApiError(401, 22, "Unauthorized (invalid credentials) (failed to locate provided credentials)");
            }
            return;
        }
        if (header.startsWith("Bearer ")) {
            String token = header.substring(7).trim();
            tokens.check(token);
            call.token = token;
            return;
        }
        throw new ApiError(401, 10, "Unauthorized (bad authentication header type)");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
