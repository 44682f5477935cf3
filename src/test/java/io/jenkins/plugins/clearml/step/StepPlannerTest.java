package io.jenkins.plugins.clearml.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.jenkins.CredentialLookup;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepPlannerTest {

    private static final String TASK = "0123456789abcdef0123456789abcdef";

    private final Map<String, CredentialLookup.Result> system = Map.of(
            "prod-keys", new CredentialLookup.Found("ACCESS", "SECRET-KEY"),
            "token", new CredentialLookup.WrongKind("Secret text"),
            "half", new CredentialLookup.Found("ACCESS", ""));
    private final Map<String, CredentialLookup.Result> job = Map.of(
            "git", new CredentialLookup.Found("bot", "git-token"),
            "ssh", new CredentialLookup.WrongKind("SSH Username with private key"));

    private StepPlanner planner(ServerSettings... servers) {
        return new StepPlanner(new PluginSettings(List.of(servers), "", "", List.of()),
                id -> system.getOrDefault(id, new CredentialLookup.Missing()),
                id -> job.getOrDefault(id, new CredentialLookup.Missing()));
    }

    private static ServerSettings server(String credentialsId) {
        return new ServerSettings("prod", "https://api.prod.example", "", "", credentialsId);
    }

    private static StepRequest request(String taskId) {
        return new StepRequest(taskId, "", false, "", "", "");
    }

    @Test
    void aPlainCallRunsInAVenvAndFollowsAbortsFromTheClearmlUi() throws Exception {
        StepPlan plan = planner(server("prod-keys")).plan(request(" " + TASK + " "));
        assertThat(plan.request().taskId()).isEqualTo(TASK);
        assertThat(plan.request().dockerMode()).isFalse();
        assertThat(plan.request().gpus()).isEmpty();
        assertThat(plan.request().watchForAbort()).isTrue();
        assertThat(plan.request().requireQueued()).isFalse();
        assertThat(plan.keys().accessKey()).isEqualTo("ACCESS");
        assertThat(plan.keys().secretKey()).isEqualTo("SECRET-KEY");
        assertThat(plan.gitUser()).isNull();
        assertThat(plan.describe()).contains(TASK, "'prod'", "virtual environment").doesNotContain("SECRET");
    }

    @Test
    void dockerGpusAndGitCredentialsAreCarriedOver() throws Exception {
        StepPlan plan = planner(server("prod-keys"))
                .plan(new StepRequest(TASK, "prod", true, "python:3.11", "0, 1", "git"));
        assertThat(plan.request().container().image()).isEqualTo("python:3.11");
        assertThat(plan.request().gpus()).containsExactly("0", "1");
        assertThat(plan.gitUser()).isEqualTo("bot");
        assertThat(plan.gitPassword()).isEqualTo("git-token");
        assertThat(plan.toString()).doesNotContain("git-token").doesNotContain("SECRET-KEY");
        assertThat(plan.describe()).contains("python:3.11", "GPUs 0,1", "git as bot").doesNotContain("git-token");
    }

    @Test
    void anImageImpliesDockerModeAndDockerWithoutImageDefersToTheTask() throws Exception {
        assertThat(planner(server("prod-keys")).plan(new StepRequest(TASK, "", false, "img:1", "", ""))
                .request().container().image()).isEqualTo("img:1");
        assertThat(planner(server("prod-keys")).plan(new StepRequest(TASK, "", true, "", "", ""))
                .request().container().image()).isNull();
    }

    @Test
    void anEmptyOrMalformedTaskIdIsRefused() {
        assertThatThrownBy(() -> planner(server("prod-keys")).plan(request("  ")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("the task id is empty");
        assertThatThrownBy(() -> planner(server("prod-keys")).plan(request("abc; rm -rf /")))
                .hasMessageContaining("is not a ClearML task id");
    }

    @Test
    void theStepNeedsANode() {
        assertThatThrownBy(() -> StepPlanner.requireNode(false)).hasMessageContaining("inside node {");
    }

    @Test
    void serverCredentialsThatAreMissingOfTheWrongKindOrIncompleteAreNamed() {
        assertThatThrownBy(() -> planner(server("nope")).plan(request(TASK)))
                .hasMessageStartingWith("ClearML server 'prod' uses credentials 'nope', which do not exist");
        assertThatThrownBy(() -> planner(server("token")).plan(request(TASK)))
                .hasMessageContaining("which are a Secret text").hasMessageContaining("username-with-password");
        assertThatThrownBy(() -> planner(server("half")).plan(request(TASK)))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> planner(server("")).plan(request(TASK)))
                .hasMessageContaining("has no credentials");
    }

    @Test
    void gitCredentialsThatAreMissingOrOfTheWrongKindAreNamed() {
        assertThatThrownBy(() -> planner(server("prod-keys")).plan(new StepRequest(TASK, "", false, "", "", "other")))
                .hasMessageStartingWith("gitCredentialsId: no credential 'other'");
        assertThatThrownBy(() -> planner(server("prod-keys")).plan(new StepRequest(TASK, "", false, "", "", "ssh")))
                .hasMessageContaining("is a SSH Username with private key, not a username-with-password");
    }

    @Test
    void anUnknownServerFailsBeforeCredentialsAreRead() {
        StepPlanner planner = new StepPlanner(new PluginSettings(List.of(server("prod-keys")), "", "", List.of()),
                id -> {
                    throw new AssertionError("credentials read for an unknown server");
                }, id -> new CredentialLookup.Missing());
        assertThatThrownBy(() -> planner.plan(new StepRequest(TASK, "dev", false, "", "", "")))
                .hasMessageStartingWith("No ClearML server named 'dev'");
    }

    @Test
    void everyRefusalIsOneLine() {
        List<StepRequest> bad = List.of(request(""), request("x y"), new StepRequest(TASK, "dev", false, "", "", ""),
                new StepRequest(TASK, "", false, "", "a", ""), new StepRequest(TASK, "", false, "", "", "ssh"));
        for (StepRequest r : bad) {
            assertThatThrownBy(() -> planner(server("prod-keys")).plan(r))
                    .isInstanceOf(UserInputException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
