package io.jenkins.plugins.clearml.jenkins;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks of the global configuration's fields, shared by the form validation and by saving the configuration. */
public final class SettingsValidation {

    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private SettingsValidation() {
    }

    public static Verdict serverName(String name) {
        String n = Strings.trim(name);
        if (n.isEmpty()) {
            return Verdict.error("A name is required: pipelines select the server with server: '<name>'.");
        }
        if (!SERVER_NAME.matcher(n).matches()) {
            return Verdict.error("Use letters, digits, '.', '_' and '-' only, starting with a letter or digit.");
        }
        return Verdict.ok();
    }

    public static Verdict apiUrl(String url) {
        if (Strings.isBlank(url)) {
            return Verdict.error("The API server address is required, e.g. https://api.clear.ml or http://clearml:8008.");
        }
        return httpUrl(url, "API server");
    }

    /** The web and files addresses may be left empty: they are derived from the API address as clearml-agent does. */
    public static Verdict optionalUrl(String url, String what) {
        if (Strings.isBlank(url)) {
            return Verdict.ok();
        }
        return httpUrl(url, what);
    }

    public static Verdict credentialsId(String id) {
        if (Strings.isBlank(id)) {
            return Verdict.error("Choose a username-with-password credential holding the ClearML access key (user name) "
                    + "and secret key (password).");
        }
        return Verdict.ok();
    }

    /** One regular expression per line, each matched against a whole docker argument such as {@code --ipc=host}. */
    public static Verdict dockerArgumentAllowList(String text) {
        for (String line : Strings.lines(text)) {
            try {
                Pattern.compile(line);
            } catch (PatternSyntaxException e) {
                return Verdict.error("Not a regular expression: " + line + " (" + e.getDescription() + ").");
            }
        }
        return Verdict.ok();
    }

    /**
     * The whole configuration, as it is about to be saved: every field, unique server names, an existing default.
     *
     * @throws UserInputException naming the first problem
     */
    public static void validate(PluginSettings settings) throws UserInputException {
        Set<String> seen = new HashSet<>();
        for (ServerSettings server : settings.servers()) {
            String label = server.name().isEmpty() ? "a ClearML server" : "ClearML server '" + server.name() + "'";
            require(serverName(server.name()), label + ", name");
            require(apiUrl(server.apiUrl()), label + ", API URL");
            require(optionalUrl(server.webUrl(), "web UI"), label + ", web URL");
            require(optionalUrl(server.filesUrl(), "file server"), label + ", files URL");
            require(credentialsId(server.credentialsId()), label + ", credentials");
            if (!seen.add(server.name().toLowerCase(Locale.ROOT))) {
                throw new UserInputException("Two ClearML servers are named '" + server.name() + "': give each a unique name.");
            }
        }
        if (!settings.defaultServer().isEmpty() && settings.find(settings.defaultServer()).isEmpty()) {
            throw new UserInputException("The default ClearML server '" + settings.defaultServer()
                    + "' is not in the list of servers: add it or choose another default.");
        }
        for (String pattern : settings.allowedDockerArguments()) {
            require(dockerArgumentAllowList(pattern), "Allowed docker arguments");
        }
    }

    private static void require(Verdict verdict, String where) throws UserInputException {
        if (verdict.isError()) {
            throw new UserInputException(where + ": " + verdict.message());
        }
    }

    private static Verdict httpUrl(String url, String what) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Verdict.error("The " + what + " address must start with http:// or https://.");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return Verdict.error("The " + what + " address has no host name.");
            }
            if (uri.getUserInfo() != null) {
                return Verdict.error("Do not put credentials in the " + what + " address: choose a credential instead.");
            }
            return Verdict.ok();
        } catch (URISyntaxException e) {
            return Verdict.error("Not a valid " + what + " address: " + e.getReason() + ".");
        }
    }
}
