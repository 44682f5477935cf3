package io.jenkins.plugins.clearml.dispatch;

import java.util.Arrays;

/**
 * Whether a node matches a template's label expression. Jenkins evaluates its own label expressions; outside
 * Jenkins {@link #SIMPLE} understands atoms joined by {@code &&} and alternatives joined by {@code ||}.
 */
@FunctionalInterface
public interface LabelMatcher {

    boolean matches(String labelExpression, NodeSpec node);

    LabelMatcher SIMPLE = (expression, node) -> {
        if (expression == null || expression.isBlank()) {
            return true;
        }
        return Arrays.stream(expression.split("\\|\\|")).anyMatch(alternative -> Arrays.stream(alternative.split("&&"))
                .map(String::trim)
                .allMatch(atom -> atom.isEmpty() || atom.equals(node.name()) || node.labels().contains(atom)));
    };
}
