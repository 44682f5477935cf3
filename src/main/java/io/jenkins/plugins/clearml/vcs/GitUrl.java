package io.jenkins.plugins.clearml.vcs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository address as recorded in a task, understood well enough to pick credentials, rewrite between SSH
 * and HTTPS, and name its folders. A user name and password embedded in an http(s) address are taken out of the
 * address ({@link #embeddedUser()}, {@link #embeddedPassword()}) so that they never reach a command line or
 * {@code .git/config}.
 *
 * @param url              the address without an embedded password
 * @param scheme           {@code https}, {@code http}, {@code ssh} (also for scp-like {@code git@host:path}),
 *                         {@code git}, {@code file} (also for plain paths)
 * @param host             host name without port, empty for local repositories
 * @param path             the repository path on the host, without a leading slash
 * @param embeddedUser     user name found in an http(s) address, or {@code null}
 * @param embeddedPassword password or token found in an http(s) address, or {@code null}
 */
public record GitUrl(String url, String scheme, String host, String path, String embeddedUser,
        String embeddedPassword) {

    private static final Pattern SCHEME_URL =
            Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://(?:([^@/]*)@)?(\\[[^\\]]+\\]|[^/:]*)(?::(\\d*))?(/.*)?$");
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:([^@/:]+)@)?([^/:]+):(?!//)(.+)$");

    /** Parses an address as git accepts it: {@code scheme://[user[:pass]@]host[:port]/path}, {@code user@host:path}, or a path. */
    public static GitUrl parse(String raw) {
        String s = raw == null ? "" : raw.strip();
        Matcher m = SCHEME_URL.matcher(s);
        if (m.matches()) {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            String userInfo = m.group(2);
            String host = m.group(3);
            String port = m.group(4);
            String path = m.group(5) == null ? "" : m.group(5);
            String user = null;
            String password = null;
            String keptUserInfo = userInfo;
            if (userInfo != null && (scheme.equals("http") || scheme.equals("https"))) {
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
                keptUserInfo = null;
            }
            StringBuilder clean = new StringBuilder(scheme).append("://");
            if (keptUserInfo != null) {
                clean.append(keptUserInfo).append('@');
            }
            clean.append(host);
            if (port != null && !port.isEmpty()) {
                clean.append(':').append(port);
            }
            clean.append(path);
            return new GitUrl(clean.toString(), scheme, host.toLowerCase(Locale.ROOT), stripSlashes(path), user,
                    password == null || password.isEmpty() ? null : password);
        }
        Matcher scp = SCP_LIKE.matcher(s);
        if (scp.matches() && !s.startsWith("/") && !s.startsWith(".")) {
            return new GitUrl(s, "ssh", scp.group(2).toLowerCase(Locale.ROOT), stripSlashes(scp.group(3)), null, null);
        }
        return new GitUrl(s, "file", "", stripSlashes(s), null, null);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String stripSlashes(String p) {
        String r = p;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    public boolean isSsh() {
        return scheme.equals("ssh") || scheme.equals("git+ssh") || scheme.equals("ssh+git");
    }

    public boolean isHttp() {
        return scheme.equals("http") || scheme.equals("https");
    }

    public boolean isLocal() {
        return scheme.equals("file");
    }

    /** {@code https://host/path}, for SSH addresses when credentials are given ({@code agent.translate_ssh}). */
    public GitUrl toHttps() {
        return new GitUrl("https://" + host + "/" + path, "https", host, path, null, null);
    }

    /** {@code ssh://git@host/path}, for {@code agent.force_git_ssh_protocol}. */
    public GitUrl toSsh() {
        return new GitUrl("ssh://git@" + host + "/" + path, "ssh", host, path, null, null);
    }

    /** The last path element without {@code .git}: the folder the repository is checked out into. */
    public String folderName() {
        String p = path;
        int slash = p.lastIndexOf('/');
        String last = slash < 0 ? p : p.substring(slash + 1);
        if (last.endsWith(".git")) {
            last = last.substring(0, last.length() - 4);
        }
        String safe = last.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "repository" : safe;
    }

    /** The cache entry name, as the agent keys it: {@code <folder>.<md5(url)>}. */
    public String cacheKey() {
        return folderName() + "." + md5(url);
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return url;
    }
}
