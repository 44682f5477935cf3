package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses the step's {@code gpus} argument: GPU indices, comma-separated, as clearml-agent's {@code --gpus 0,1}. */
public final class GpuSelection {

    private static final Pattern INDEX = Pattern.compile("\\d{1,3}");

    private GpuSelection() {
    }

    /** The indices in the order given; empty for a blank argument. */
    public static List<String> parse(String gpus) throws UserInputException {
        if (gpus == null || gpus.isBlank()) {
            return List.of();
        }
        Set<String> indices = new LinkedHashSet<>();
        for (String part : gpus.split(",", -1)) {
            String index = part.trim();
            if (!INDEX.matcher(index).matches()) {
                throw new UserInputException("gpus: '" + gpus + "' is not a list of GPU indices: write them "
                        + "comma-separated, e.g. gpus: '0,1'.");
            }
            if (!indices.add(String.valueOf(Integer.parseInt(index)))) {
                throw new UserInputException("gpus: GPU " + index + " is listed twice in '" + gpus + "'.");
            }
        }
        return new ArrayList<>(indices);
    }
}
