package hudson.model;

public class ResourceController {
    public ResourceController() {
    }
}
