package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the task's venv as the real agent does: pick the interpreter, reuse a cached venv keyed by interpreter and
 * requirements, else create one and {@code pip install} the recorded requirements (or the repository's
 * requirements.txt), then freeze.
 *
 * <p>{@code processes} is the run site's: in docker mode they run inside the container. {@code files} is the
 * node's: the venv and cache folders are mounted at the same paths in a container.
 *
 * <p>One builder serves one run. Cached venvs are used in place (see {@link VenvCache}), so call
 * {@link #release()} (or {@link #close()}) once the task process has ended: it ends the run's lease on a cached
 * venv, or deletes a venv made for this run only.
 */
public final class PythonEnvironmentBuilder implements AutoCloseable {

    private final NodeProcesses processes;
    private final NodeFiles files;
    private final PythonSettings settings;
    private final Consumer<String> console;
    private final String runToken = newToken();
    private String cudaVersion = "";
    private SkipInstall skip = SkipInstall.NONE;
    /** The venv this run uses, and whether the cache holds it; {@code null} before a build. */
    private String venvInUse;
    private VenvCache cacheInUse;

    public PythonEnvironmentBuilder(NodeProcesses processes, NodeFiles files, PythonSettings settings,
            Consumer<String> console) {
        this.processes = processes;
        this.files = files;
        this.settings = settings;
        this.console = console;
    }

    /**
     * The node's CUDA version, part of the cache key as in the real agent (packages such as torch differ by
     * CUDA version). Empty when unknown.
     */
    public PythonEnvironmentBuilder withCudaVersion(String cuda) {
        this.cudaVersion = cuda == null ? "" : cuda.strip();
        return this;
    }

    /** {@code CLEARML_AGENT_SKIP_PIP_VENV_INSTALL} / {@code CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL} where the task runs. */
    public PythonEnvironmentBuilder withSkipInstall(SkipInstall skipInstall) {
        this.skip = skipInstall == null ? SkipInstall.NONE : skipInstall;
        return this;
    }

    /**
     * @param cacheContext what else the venv depends on, in the cache key (in docker mode: the image name)
     */
    public PythonEnvironment build(TaskScript script, PreparedCode code, String cacheContext)
            throws EnvironmentException, InterruptedException {
        release(); // a second build by the same builder replaces the first
        Requirements requirements = readRequirements(script, code);
        if (skip.noVenv()) {
            return useInterpreterItself(script, requirements, code);
        }
        VenvCache cache = cache();
        String scriptBinary = script == null ? null : script.binary();
        String request = interpreterRequest(scriptBinary, cacheContext);
        Interpreter remembered = remembered(cache, request);
        Interpreter interpreter = remembered != null ? remembered : search(cache, request, scriptBinary, true);
        if (cache == null) {
            return buildPrivately(interpreter, requirements, code);
        }
        Optional<PythonEnvironment> hit = lookUp(cache, cacheContext, interpreter, requirements);
        if (hit.isPresent()) {
            return hit.get();
        }
        if (remembered != null) {
            // A build is slow anyway: search afresh in case the remembered interpreter is no longer the one found.
            Interpreter fresh = search(cache, request, scriptBinary, false);
            if (!fresh.equals(interpreter)) {
                interpreter = fresh;
                hit = lookUp(cache, cacheContext, interpreter, requirements);
                if (hit.isPresent()) {
                    return hit.get();
                }
            }
        }
        if (!requirements.cacheable()) {
            console.accept("::: The requirements read other files or local folders: the venv cache is not used "
                    + "for them :::");
        }
        String venvDir = reserve(cache);
        if (venvDir == null) {
            return buildPrivately(interpreter, requirements, code);
        }
        venvInUse = venvDir;
        cacheInUse = cache;
        PythonEnvironment built = buildAt(venvDir, interpreter, requirements, code);
        String taskKey = requirements.cacheable()
                ? key(cacheContext, interpreter, requirements.pipLines(), requirements.condaLines()) : null;
        store(cache, built, taskKey, cacheContext, interpreter, requirements);
        return built;
    }

    private Optional<PythonEnvironment> lookUp(VenvCache cache, String cacheContext, Interpreter interpreter,
            Requirements requirements) throws InterruptedException {
        if (!requirements.cacheable()) {
            return Optional.empty();
        }
        return reuse(cache, key(cacheContext, interpreter, requirements.pipLines(), requirements.condaLines()));
    }

    /**
     * No venv (the skip variables): the interpreter itself runs the task, with the requirements pip-installed into
     * it unless nothing is to be installed. The venv cache is not used, as by the real agent. The freeze is written
     * back only when something was installed (as the 3.x agent): otherwise the task's list stays as recorded.
     */
    private PythonEnvironment useInterpreterItself(TaskScript script, Requirements requirements, PreparedCode code)
            throws EnvironmentException, InterruptedException {
        String scriptBinary = script == null ? null : script.binary();
        List<String> warnings = new ArrayList<>();
        InterpreterLocator locator = new InterpreterLocator(processes, warnings::add);
        Interpreter interpreter = skip.interpreter() != null
                ? locator.locateConfigured(skip.interpreter(), SkipInstall.SKIP_PIP_VENV)
                : locator.locate(settings.pythonBinary(), scriptBinary);
        warnings.forEach(console);
        String python = interpreter.executable().isBlank() ? interpreter.command() : interpreter.executable();
        console.accept("::: " + skip.source() + " is set: no virtual environment, running " + python + " ("
                + interpreter.version() + ") :::");
        VenvMaker maker = new VenvMaker(processes, files, settings, console);
        boolean installed = false;
        if (skip.noPackages()) {
            console.accept("::: Installing nothing: the interpreter is expected to have every package the task"
                    + " needs :::");
        } else if (requirements.isEmpty()) {
            console.accept("::: No requirements to install :::");
        } else {
            String scratch = files.resolve(venvsDir(), "requirements." + runToken);
            try {
                files.createDirectories(scratch);
                // Asked for explicitly: an interpreter that PEP 668 marks as the system's is installed into anyway.
                installInto(maker, python, scratch, requirements, code, Map.of("PIP_BREAK_SYSTEM_PACKAGES", "1"));
            } catch (IOException e) {
                throw new EnvironmentException(PipFailure.STATUS_REASON,
                        "Could not prepare " + scratch + ": " + e.getMessage(), e);
            } finally {
                try {
                    files.deleteRecursively(scratch);
                } catch (IOException e) {
                    // a leftover requirements file is harmless
                }
            }
            installed = true;
        }
        List<String> sysPath = maker.sysPath(python);
        return new PythonEnvironment(python, null, sysPath, installed ? maker.freeze(python) : "", false);
    }

    /** Without the cache: a venv of this run's own under {@code agent.venvs_dir}, deleted on release. */
    private PythonEnvironment buildPrivately(Interpreter interpreter, Requirements requirements, PreparedCode code)
            throws EnvironmentException, InterruptedException {
        String venvDir = files.resolve(venvsDir(), interpreter.minorVersion() + "." + runToken);
        venvInUse = venvDir;
        cacheInUse = null;
        return buildAt(venvDir, interpreter, requirements, code);
    }

    /** Docker image, {@code agent.python_binary} and requested version: what the interpreter search depends on. */
    private String interpreterRequest(String scriptBinary, String cacheContext) {
        return (cacheContext == null ? "" : cacheContext.strip()) + "\n"
                + (settings.pythonBinary() == null ? "" : settings.pythonBinary().strip()) + "\n"
                + InterpreterLocator.requestedVersion(scriptBinary);
    }

    /**
     * A previous search's answer, kept in the cache index while the interpreter file is unchanged, so that a cache
     * hit starts no process but the lock's {@code mkdir} (a pyenv shim alone can take a second to answer).
     */
    private Interpreter remembered(VenvCache cache, String request) throws InterruptedException {
        if (cache == null) {
            return null;
        }
        Optional<InterpreterMemo> memo = cache.rememberedInterpreter(request);
        memo.ifPresent(m -> m.warning().lines().forEach(console));
        return memo.map(InterpreterMemo::interpreter).orElse(null);
    }

    private Interpreter search(VenvCache cache, String request, String scriptBinary, boolean printWarnings)
            throws EnvironmentException, InterruptedException {
        List<String> warnings = new ArrayList<>();
        Interpreter found = new InterpreterLocator(processes, warnings::add).locate(settings.pythonBinary(),
                scriptBinary);
        if (printWarnings) {
            warnings.forEach(console);
        }
        if (cache != null) {
            try {
                cache.rememberInterpreter(request, found, String.join("\n", warnings));
            } catch (VenvCache.Unavailable e) {
                // the next run searches again
            }
        }
        return found;
    }

    private PythonEnvironment buildAt(String venvDir, Interpreter interpreter, Requirements requirements,
            PreparedCode code) throws EnvironmentException, InterruptedException {
        VenvMaker maker = new VenvMaker(processes, files, settings, console);
        boolean done = false;
        try {
            maker.create(interpreter, venvDir);
            String python = VenvMaker.venvPython(venvDir);
            installInto(maker, python, venvDir, requirements, code, Map.of());
            List<String> sysPath = maker.sysPath(python);
            String frozen = maker.freeze(python);
            done = true;
            return new PythonEnvironment(VenvMaker.venvPython(venvDir), venvDir, sysPath, frozen, false);
        } finally {
            if (!done) {
                release();
            }
        }
    }

    private Optional<PythonEnvironment> reuse(VenvCache cache, String key) throws InterruptedException {
        Optional<CacheEntry> hit;
        try {
            hit = cache.lease(key, runToken);
        } catch (VenvCache.Unavailable e) {
            console.accept("WARNING: " + e.getMessage() + "; building a venv without it");
            return Optional.empty();
        }
        if (hit.isEmpty()) {
            return Optional.empty();
        }
        String venvDir = cache.pathOf(hit.get().dir());
        venvInUse = venvDir;
        cacheInUse = cache;
        console.accept("::: Using Cached environment " + venvDir + " :::");
        return Optional.of(new PythonEnvironment(VenvMaker.venvPython(venvDir), venvDir, hit.get().sysPath(),
                hit.get().frozen(), true));
    }

    private String reserve(VenvCache cache) throws InterruptedException {
        try {
            return cache.reserve(runToken);
        } catch (VenvCache.Unavailable e) {
            console.accept("WARNING: " + e.getMessage() + "; building a venv without it");
            return null;
        }
    }

    /** Files the new venv under the task's key and the key of its freeze, as the agent does. */
    private void store(VenvCache cache, PythonEnvironment built, String taskKey, String cacheContext,
            Interpreter interpreter, Requirements requirements) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        if (taskKey != null) {
            keys.add(taskKey);
        }
        List<String> frozenLines = Requirements.meaningfulLines(built.frozen());
        if (Requirements.cacheable(frozenLines)) {
            String frozenKey = key(cacheContext, interpreter, frozenLines, requirements.condaLines());
            if (!keys.contains(frozenKey)) {
                keys.add(frozenKey);
            }
        }
        String sitePackages = built.sysPath().stream()
                .filter(p -> p.startsWith(built.venvDir() + "/") && p.endsWith("site-packages"))
                .findFirst().orElse(null);
        try {
            if (sitePackages == null) {
                keys.clear(); // no fingerprint, no reuse
            }
            long fingerprint = sitePackages == null ? 0 : files.lastModified(sitePackages);
            cache.commit(built.venvDir(), runToken, keys, interpreter.version(), built.sysPath(), built.frozen(),
                    sitePackages == null ? "" : sitePackages, fingerprint);
            if (!keys.isEmpty()) {
                console.accept("::: Environment stored in the venv cache :::");
            }
        } catch (IOException | VenvCache.Unavailable e) {
            console.accept("WARNING: the new venv could not be added to the cache: " + e.getMessage());
        }
    }

    private String key(String cacheContext, Interpreter interpreter, List<String> pip, List<String> conda) {
        return VenvCacheKey.of(cacheContext, cudaVersion, interpreter.minorVersion(), pip, conda);
    }

    private VenvCache cache() {
        String dir = settings.venvsCacheDir();
        if (dir == null || dir.isBlank() || settings.venvsCacheMaxEntries() <= 0) {
            return null;
        }
        return new VenvCache(expandHome(dir, ".clearml/venvs-cache"), settings.venvsCacheMaxEntries(), files,
                processes, console);
    }

    /** pip-installs the requirements with {@code python}; the task's list is written to a file in {@code fileDir}. */
    private void installInto(VenvMaker maker, String python, String fileDir, Requirements requirements,
            PreparedCode code, Map<String, String> pipEnvironment) throws EnvironmentException, InterruptedException {
        if (requirements.isEmpty()) {
            console.accept("::: No requirements to install :::");
            return;
        }
        String file = null;
        if (requirements.pipText() != null) {
            file = files.resolve(fileDir, "clearml-requirements.txt");
            try {
                files.writeString(file, requirements.pipText(), false);
            } catch (IOException e) {
                throw new EnvironmentException(PipFailure.STATUS_REASON,
                        "Could not write the requirements to " + file + ": " + e.getMessage(), e);
            }
        }
        // Relative paths in a requirements.txt are meant from the repository root, the task's from its working dir.
        String cwd = code == null ? null : requirements.pipText() != null ? code.workingDir() : code.repositoryRoot();
        maker.install(python, requirements, file, cwd, pipEnvironment);
    }

    private Requirements readRequirements(TaskScript script, PreparedCode code)
            throws EnvironmentException, InterruptedException {
        try {
            return Requirements.of(script, code, files);
        } catch (IOException e) {
            throw new EnvironmentException(PipFailure.INVALID_STATUS_REASON,
                    "Could not read the repository's requirements.txt: " + e.getMessage(), e);
        }
    }

    /** {@code agent.venvs_dir}, default {@code ~/.clearml/venvs-builds}. */
    private String venvsDir() {
        return expandHome(settings.venvsDir(), ".clearml/venvs-builds");
    }

    private String expandHome(String configured, String defaultUnderHome) {
        if (configured == null || configured.isBlank()) {
            return files.resolve(files.home(), defaultUnderHome);
        }
        String path = configured.strip();
        if (path.equals("~") || path.startsWith("~/")) {
            return files.resolve(files.home(), path.substring(1));
        }
        return path;
    }

    /**
     * Frees what this run used: ends its lease on a cached venv (which may then be evicted), or deletes the venv
     * made for this run only. Safe to call twice.
     */
    public void release() throws InterruptedException {
        String venv = venvInUse;
        VenvCache cache = cacheInUse;
        venvInUse = null;
        cacheInUse = null;
        if (venv == null) {
            return;
        }
        try {
            if (cache != null) {
                cache.release(venv, runToken);
            } else {
                files.deleteRecursively(venv);
            }
        } catch (IOException | VenvCache.Unavailable e) {
            console.accept("WARNING: could not release the venv " + venv + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        release();
    }

    private static String newToken() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
