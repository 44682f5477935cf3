package io.jenkins.plugins.clearml.python;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The venv cache's index file: every folder in the cache is one of its entries. Read and written only under the
 * {@link CacheLock}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CacheIndex(int version, List<CacheEntry> entries, List<InterpreterMemo> interpreters) {

    static final int CURRENT_VERSION = 1;

    CacheIndex {
        entries = entries == null ? List.of() : List.copyOf(entries);
        interpreters = interpreters == null ? List.of() : List.copyOf(interpreters);
    }

    static CacheIndex empty() {
        return new CacheIndex(CURRENT_VERSION, List.of(), List.of());
    }
}
