package io.jenkins.plugins.clearml.python;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One venv in the cache, as recorded in its index. An entry without keys is never reused: a build in progress, a
 * venv whose requirements cannot be cached, or one found modified; it is deleted once no run leases it.
 *
 * @param dir           the venv's folder name inside the cache folder
 * @param keys          the cache keys it answers: the task's requirements and its freeze
 * @param pythonVersion the version of the interpreter it was made with
 * @param sysPath       the venv interpreter's {@code sys.path}, so a reuse starts no Python to ask
 * @param frozen        its {@code pip freeze}
 * @param sitePackages  its site-packages folder, whose modification time is the fingerprint
 * @param fingerprint   modification time of {@code sitePackages} when the build ended: a later change means
 *                      something installed into or removed from the venv, which then is no longer reused
 * @param lastUsed      node time in milliseconds of the last build or reuse, for least-recently-used eviction
 * @param leases        run token to lease time of the runs using the venv now
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CacheEntry(String dir, List<String> keys, String pythonVersion, List<String> sysPath, String frozen,
        String sitePackages, long fingerprint, long lastUsed, Map<String, Long> leases) {

    CacheEntry {
        keys = keys == null ? List.of() : List.copyOf(keys);
        sysPath = sysPath == null ? List.of() : List.copyOf(sysPath);
        leases = leases == null ? Map.of() : Map.copyOf(leases);
        frozen = frozen == null ? "" : frozen;
    }

    static CacheEntry reserved(String dir, String token, long now) {
        return new CacheEntry(dir, List.of(), "", List.of(), "", "", 0, now, Map.of(token, now));
    }

    CacheEntry withLease(String token, long now) {
        Map<String, Long> more = new HashMap<>(leases);
        more.put(token, now);
        return new CacheEntry(dir, keys, pythonVersion, sysPath, frozen, sitePackages, fingerprint, now, more);
    }

    CacheEntry withoutLease(String token) {
        Map<String, Long> fewer = new HashMap<>(leases);
        fewer.remove(token);
        return new CacheEntry(dir, keys, pythonVersion, sysPath, frozen, sitePackages, fingerprint, lastUsed, fewer);
    }

    CacheEntry withoutStaleLeases(long staleBefore) {
        Map<String, Long> live = new HashMap<>(leases);
        live.values().removeIf(t -> t < staleBefore);
        return new CacheEntry(dir, keys, pythonVersion, sysPath, frozen, sitePackages, fingerprint, lastUsed, live);
    }

    CacheEntry withoutKeys() {
        return new CacheEntry(dir, List.of(), pythonVersion, sysPath, frozen, sitePackages, fingerprint, lastUsed,
                leases);
    }

    CacheEntry built(List<String> newKeys, String version, List<String> path, String freeze, String site,
            long print, long now) {
        return new CacheEntry(dir, newKeys, version, path, freeze, site, print, now, leases);
    }

    boolean inUse() {
        return !leases.isEmpty();
    }
}
