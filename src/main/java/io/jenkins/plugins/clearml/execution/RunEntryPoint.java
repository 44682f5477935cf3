package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the entry point from its working dir at the run site, with the task's variables and script arguments, and
 * streams its output until it exits. The last step: it returns the process's exit code, or how it was stopped.
 */
final class RunEntryPoint implements Step {

    /** How long to wait for the last output once the process has exited (a child may still hold the pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(5);

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        ProcessSpec spec = spec(plan, ctx);
        RunLog log = ctx.log();
        log.info("Running task id [" + plan.taskId() + "]:");
        log.info("[" + spec.workingDir() + "]$ " + spec.displayCommand());
        log.info("Environment setup completed successfully");
        log.info("Starting Task Execution:");
        log.info("");

        RunningProcess process;
        try {
            process = plan.site().processes().start(spec);
        } catch (IOException e) {
            throw new StepFailure("failed starting the task process", "Could not start the task's process "
                    + spec.displayCommand() + " (" + e.getMessage() + "): check that the interpreter exists at the "
                    + "run site.", e);
        }
        ctx.control().attach(process);
        OutputPump pump = new OutputPump(process.output(), log);
        Thread pumpThread = new Thread(pump, "clearml-output-" + plan.taskId());
        pumpThread.setDaemon(true);
        pumpThread.start();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clearml-progress-" + plan.taskId());
            t.setDaemon(true);
            return t;
        });
        long tick = ctx.config().logFlushInterval().toMillis();
        ticker.scheduleWithFixedDelay(pump::tick, tick, tick, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(pump::flushConsole, 100, 100, TimeUnit.MILLISECONDS);
        try {
            int exitCode = waitFor(process, ctx);
            pumpThread.join(OUTPUT_GRACE.toMillis());
            if (pumpThread.isAlive()) {
                // A background child of the task still holds the output open: it must not outlive the run.
                process.killTree();
                pump.closeStream();
                pumpThread.join(OUTPUT_GRACE.toMillis());
            }
            return new RunOutcome(exitCode, ctx.control().stopReason());
        } finally {
            ticker.shutdownNow();
            if (process.isAlive()) {
                process.killTree();
            }
            ctx.control().detach();
        }
    }

    /** Waits for the process; a stop from outside kills it (see {@link RunControl}) and this returns its code. */
    private static int waitFor(RunningProcess process, RunContext ctx) throws InterruptedException {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // Only a stop interrupts this thread: make sure the tree is dead, then collect the exit code.
                process.killTree();
                if (!ctx.control().isStopped()) {
                    throw e;
                }
            }
        }
    }

    static ProcessSpec spec(ExecutionPlan plan, RunContext ctx) throws InterruptedException {
        TaskScript script = plan.task().script();
        NodeFiles files = ctx.node().files();
        String workingDir = plan.code().workingDir();
        String entryPoint = plan.code().entryPoint();
        String scriptFile = EntryPointCommand.scriptFile(entryPoint);
        boolean scriptExists = scriptFile != null && CheckEntryPoint.exists(files, workingDir, scriptFile);
        String python = plan.python() == null ? "python3" : plan.python().python();
        List<String> command = EntryPointCommand.build(python, script.binary(), entryPoint, scriptExists,
                ScriptArguments.of(plan.task().hyperparams()));

        Map<String, String> env = new LinkedHashMap<>(plan.environment());
        env.putAll(plan.site().environment());
        String entryDir = scriptFile == null ? workingDir : parent(absolute(files, workingDir, scriptFile.split("\\s+")[0]));
        env.put("PYTHONPATH", TaskEnvironment.pythonPath(ctx.node().environment().get("PYTHONPATH"), workingDir,
                entryDir, plan.python() == null ? List.of() : plan.python().sysPath()));
        List<String> masked = new ArrayList<>(plan.secrets().values());
        return new ProcessSpec(command, workingDir, env, TaskEnvironment.REMOVED, null, masked);
    }

    private static String absolute(NodeFiles files, String dir, String path) {
        return path.startsWith("/") ? path : files.resolve(dir, path);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
