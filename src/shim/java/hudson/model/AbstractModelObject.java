package hudson.model;

public abstract class AbstractModelObject {
    public AbstractModelObject() {
    }
}
