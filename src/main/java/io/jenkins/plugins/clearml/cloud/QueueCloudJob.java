package io.jenkins.plugins.clearml.cloud;

import hudson.model.FreeStyleProject;
import hudson.model.TopLevelItem;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.io.IOException;
import jenkins.model.Jenkins;

/**
 * Finds, or creates, the freestyle project that holds a ClearML Queue Cloud's builds: concurrent builds, one
 * {@link ClearmlQueueBuilder}. As SYSTEM, since the dispatcher's thread has no user. An item of that name that is not
 * such a project is never taken over.
 */
final class QueueCloudJob {

    private QueueCloudJob() {
    }

    static synchronized FreeStyleProject ensure(String cloudName, String name) throws UserInputException, IOException {
        String problem = QueueJobName.problem(name);
        if (problem != null) {
            throw new UserInputException("ClearML Queue Cloud '" + cloudName + "': " + problem
                    + " Set another job name on the cloud (Manage Jenkins \u00bb Clouds \u00bb " + cloudName + ").");
        }
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Jenkins jenkins = Jenkins.get();
            TopLevelItem item = jenkins.getItem(name);
            FreeStyleProject project = item instanceof FreeStyleProject p ? p : null;
            boolean hasStep = project != null && project.getBuildersList().get(ClearmlQueueBuilder.class) != null;
            switch (QueueJobName.fit(item != null, project != null, hasStep)) {
                case CONFLICT -> throw new UserInputException(QueueJobName.conflict(name, cloudName,
                        project != null ? "freestyle project without that step" : item.getClass().getSimpleName()));
                case CREATE -> {
                    project = jenkins.createProject(FreeStyleProject.class, name);
                    project.getBuildersList().add(new ClearmlQueueBuilder());
                }
                case USE -> {
                    // as it is
                }
            }
            if (!project.isConcurrentBuild()) {
                project.setConcurrentBuild(true);
            }
            return project;
        }
    }
}
