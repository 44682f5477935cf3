package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;

public final class FilePath {
    public FilePath(VirtualChannel channel, String remote) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public <T> T act(FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public interface FileCallable<T> extends Serializable {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
