package io.jenkins.plugins.clearml.cloud;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Jenkins job that holds a ClearML Queue Cloud's builds: its name, and whether an item of that name may be used.
 * Jenkins' own rule for item names ({@code Jenkins.checkGoodName}) is repeated here so that a bad name is refused on
 * the cloud's form, before anything is created.
 */
final class QueueJobName {

    /** The characters Jenkins refuses in an item name. */
    static final String UNSAFE = "?*/\\%!@#$^&|<>[]:;";

    /** What to do with the item found under the job's name. */
    enum Fit {
        /** Nothing of that name: create the job. */
        CREATE,
        /** The cloud's job (a freestyle project with the ClearML queue build step): use it. */
        USE,
        /** Something else: refuse, never take over a user's item. */
        CONFLICT
    }

    private QueueJobName() {
    }

    /** The configured name, or {@code clearml-<cloud name>} (unsafe characters replaced by '-') when blank. */
    static String of(String cloudName, String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        StringBuilder name = new StringBuilder("clearml-");
        for (char c : (cloudName == null ? "" : cloudName.trim()).toCharArray()) {
            name.append(UNSAFE.indexOf(c) >= 0 || Character.isISOControl(c) ? '-' : c);
        }
        return name.toString();
    }

    /** Why Jenkins would refuse {@code name} as an item name, or null when it is fine. */
    static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "The job name is empty.";
        }
        if (name.trim().equals(".") || name.trim().equals("..")) {
            return "'" + name + "' cannot be a job name.";
        }
        for (char c : name.toCharArray()) {
            if (UNSAFE.indexOf(c) >= 0 || Character.isISOControl(c)) {
                return "The job name '" + name + "' contains '" + (Character.isISOControl(c) ? "a control character" : c)
                        + "', which Jenkins does not allow in item names (" + UNSAFE + ").";
            }
        }
        return null;
    }

    /** {@code job/<name>/}, relative to Jenkins' root, the name encoded as a path segment. */
    static String url(String name) {
        return "job/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/";
    }

    static Fit fit(boolean exists, boolean freestyleProject, boolean hasQueueStep) {
        if (!exists) {
            return Fit.CREATE;
        }
        return freestyleProject && hasQueueStep ? Fit.USE : Fit.CONFLICT;
    }

    /** The message for {@link Fit#CONFLICT}: what is in the way and the two ways out. */
    static String conflict(String name, String cloudName, String itemKind) {
        return "ClearML Queue Cloud '" + cloudName + "' cannot use the Jenkins item '" + name + "' for its builds: it is a "
                + itemKind + ", not the cloud's job (a freestyle project with the build step '"
                + ClearmlQueueBuilder.DISPLAY_NAME + "'). Rename or delete that item, or set another job name on the "
                + "cloud (Manage Jenkins \u00bb Clouds \u00bb " + cloudName + " \u00bb Job name).";
    }
}
