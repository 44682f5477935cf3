package hudson.util;

import java.util.AbstractList;

public class PersistedList<T> extends AbstractList<T> {
    protected PersistedList() {
    }

    @Override
    public boolean add(T item) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public T get(int index) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public <U extends T> U get(Class<U> type) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public int size() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
