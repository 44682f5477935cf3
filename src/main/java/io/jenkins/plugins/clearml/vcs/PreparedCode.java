package io.jenkins.plugins.clearml.vcs;

/**
 * The task's code, ready to run.
 *
 * @param repositoryRoot the checked-out repository (or the folder holding a repository-less script)
 * @param workingDir     absolute directory to run the entry point from
 * @param entryPoint     the entry point as recorded (script path relative to workingDir, or {@code -m module ...})
 * @param headCommit     the commit checked out; empty without a repository
 * @param hasRepository  whether the task had a repository
 */
public record PreparedCode(String repositoryRoot, String workingDir, String entryPoint, String headCommit,
        boolean hasRepository) {
}
