package hudson.model.queue;

import hudson.model.Label;
import hudson.model.Queue;
import hudson.model.ResourceActivity;
import java.io.IOException;

public interface SubTask extends ResourceActivity {
    Queue.Executable createExecutable() throws IOException;

    default Label getAssignedLabel() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    default long getEstimatedDuration() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
