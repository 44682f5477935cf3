package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The filters that the {@code get_all} calls share: name regex, tag lists, ordering and {@code only_fields}. */
final class QueryFilters {

    private QueryFilters() {
    }

    static boolean tagsMatch(List<String> filter, List<String> have) {
        for (String f : filter) {
            if (f.startsWith("-")) {
                if (have.contains(f.substring(1))) {
                    return false;
                }
            } else if (!have.contains(f)) {
                return false;
            }
        }
        return true;
    }

    static Comparator<ObjectNode> comparator(List<String> orderBy) {
        Comparator<ObjectNode> c = null;
        for (String field : orderBy) {
            boolean desc = field.startsWith("-");
            String f = desc ? field.substring(1) : field;
            Comparator<ObjectNode> one = Comparator.comparing(d -> d.path(f).asText(""));
            if (desc) {
                one = one.reversed();
            }
            c = c == null ? one : c.thenComparing(one);
        }
        return c;
    }

    static Pattern regex(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(value, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw ApiError.invalidValue(field, value);
        }
    }

    /** {@code only_fields} projection on dotted paths; {@code id} is always included. */
    static ObjectNode project(ObjectNode doc, List<String> paths) {
        ObjectNode out = NODES.objectNode();
        out.put("id", doc.path("id").asText());
        for (String path : paths) {
            String[] parts = path.split("\\.");
            JsonNode src = doc;
            for (String p : parts) {
                src = src == null ? null : src.get(p);
            }
            if (src == null) {
                continue;
            }
            ObjectNode dst = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = dst.get(parts[i]);
                dst = next instanceof ObjectNode o ? o : dst.putObject(parts[i]);
            }
            dst.set(parts[parts.length - 1], src.deepCopy());
        }
        return out;
    }
}
