package hudson.model;

import hudson.security.AccessControlled;

public abstract class Node extends AbstractModelObject implements AccessControlled {
    public Node() {
    }
}
