package hudson;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

public abstract class Launcher {
    protected Launcher(TaskListener listener, VirtualChannel channel) {
    }

    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean isUnix() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final ProcStarter launch() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final class ProcStarter {
        private ProcStarter() {
        }

        public ProcStarter cmds(List<String> args) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public ProcStarter envs(Map<String, String> overrides) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public ProcStarter pwd(String workDir) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public ProcStarter stdin(InputStream in) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public ProcStarter readStdout() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public ProcStarter quiet(boolean quiet) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public Proc start() throws IOException {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }
}
