package io.jenkins.plugins.clearml.jenkins;

import hudson.util.FormValidation;

/** Turns a {@link Verdict} into what Jenkins forms show. */
final class FormValidations {

    private FormValidations() {
    }

    static FormValidation of(Verdict verdict) {
        return switch (verdict.level()) {
            case OK -> verdict.message().isEmpty() ? FormValidation.ok() : FormValidation.ok(verdict.message());
            case WARNING -> FormValidation.warning(verdict.message());
            case ERROR -> FormValidation.error(verdict.message());
        };
    }
}
