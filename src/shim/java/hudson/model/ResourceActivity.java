package hudson.model;

public interface ResourceActivity {
    String getDisplayName();
}
