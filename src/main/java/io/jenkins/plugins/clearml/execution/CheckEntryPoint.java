package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.node.NodeFiles;
import java.io.IOException;

/**
 * Checks, right after the code is prepared and before minutes go into an environment, that the entry point's script
 * exists in the working dir (as recorded, or as the first word of an entry point with arguments).
 */
final class CheckEntryPoint implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        NodeFiles files = chain.context().node().files();
        String workingDir = plan.code().workingDir();
        String entryPoint = plan.code().entryPoint();
        String script = EntryPointCommand.scriptFile(entryPoint);
        if (script != null && !exists(files, workingDir, script) && !exists(files, workingDir, script.split("\\s+")[0])) {
            String commit = plan.code().headCommit();
            throw new StepFailure("entry point not found",
                    "The entry point '" + entryPoint + "' does not exist in " + workingDir
                            + (commit == null || commit.isBlank() ? "" : " (commit " + commit + ")")
                            + ". Fix the task's script path and working directory in the web UI (Execution tab), or "
                            + "push the file to the repository.");
        }
        return chain.proceed(plan);
    }

    static boolean exists(NodeFiles files, String dir, String path) throws InterruptedException {
        String absolute = path.startsWith("/") ? path : files.resolve(dir, path);
        try {
            return files.exists(absolute);
        } catch (IOException e) {
            return false;
        }
    }
}
