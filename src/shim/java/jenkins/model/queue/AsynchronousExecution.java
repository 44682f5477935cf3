package jenkins.model.queue;

public abstract class AsynchronousExecution extends RuntimeException {
    protected AsynchronousExecution() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
