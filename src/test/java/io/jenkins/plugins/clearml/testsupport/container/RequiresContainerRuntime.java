package io.jenkins.plugins.clearml.testsupport.container;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class that runs real containers: see {@link ContainerRuntimeExtension}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ContainerRuntimeExtension.class)
public @interface RequiresContainerRuntime {
}
