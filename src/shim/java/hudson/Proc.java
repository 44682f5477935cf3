package hudson;

import java.io.IOException;
import java.io.InputStream;

public abstract class Proc {
    protected Proc() {
    }

    public abstract InputStream getStdout();

    public abstract boolean isAlive() throws IOException, InterruptedException;

    public abstract int join() throws IOException, InterruptedException;

    public abstract void kill() throws IOException, InterruptedException;
}
