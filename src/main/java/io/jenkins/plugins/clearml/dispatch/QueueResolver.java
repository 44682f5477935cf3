package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.QueueInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves queue names or ids as the real agent resolves {@code --queue}: anything that looks like an id
 * ({@code ^[-a-f0-9]{30,}$}) is an id, anything else a name matched exactly, ignoring case; no queue given means
 * the server's default queue. Ids are checked against the server too, so a typo fails at start, not at the
 * first poll.
 */
public final class QueueResolver {

    private static final Pattern ID = Pattern.compile("^[-a-f0-9]{30,}$");

    private final ClearMLClient client;

    public QueueResolver(ClearMLClient client) {
        this.client = client;
    }

    /**
     * @throws IllegalArgumentException naming every queue that does not exist on the server
     */
    public List<QueueRef> resolve(List<String> namesOrIds) throws ClearMLException {
        if (namesOrIds == null || namesOrIds.isEmpty()) {
            QueueInfo dflt = client.getDefaultQueue();
            return List.of(new QueueRef(dflt.id(), dflt.name()));
        }
        Set<String> seen = new LinkedHashSet<>();
        List<QueueRef> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> ids = namesOrIds.stream().map(String::trim).filter(q -> ID.matcher(q).matches()).toList();
        Map<String, String> idNames = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            for (QueueInfo info : client.getQueues(ids)) {
                idNames.put(info.id(), info.name());
            }
        }
        for (String raw : namesOrIds) {
            String q = raw.trim();
            if (q.isEmpty()) {
                continue;
            }
            Optional<QueueRef> ref;
            if (ID.matcher(q).matches()) {
                ref = idNames.containsKey(q) ? Optional.of(new QueueRef(q, idNames.get(q))) : Optional.empty();
            } else {
                ref = client.findQueueByName(q).map(info -> new QueueRef(info.id(), info.name()));
            }
            if (ref.isEmpty()) {
                missing.add(q);
            } else if (seen.add(ref.get().id())) {
                out.add(ref.get());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("No such ClearML queue: " + String.join(", ", missing)
                    + ". Create it in the ClearML web UI (Workers & Queues) or check the name.");
        }
        return out;
    }
}
