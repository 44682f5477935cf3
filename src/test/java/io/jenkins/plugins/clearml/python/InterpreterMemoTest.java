package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpreterMemoTest {

    @TempDir
    Path work;

    private VenvCache cache() {
        return new VenvCache(work.resolve("cache").toString(), 10, LocalNode.get(), LocalNode.get(), l -> { });
    }

    @Test
    void isReusedWhileTheInterpreterFileIsUnchanged() throws Exception {
        Path python = Files.writeString(work.resolve("python3.11"), "#!/bin/sh\n");
        Interpreter found = new Interpreter("python3", python.toString(), "3.11.7");
        cache().rememberInterpreter("\n\n3.11", found, "WARNING: a fallback");

        assertThat(cache().rememberedInterpreter("\n\n3.11")).hasValueSatisfying(m -> {
            assertThat(m.interpreter()).isEqualTo(found);
            assertThat(m.warning()).isEqualTo("WARNING: a fallback");
        });
        assertThat(cache().rememberedInterpreter("\n\n3.10")).isEmpty();

        Files.setLastModifiedTime(python, FileTime.fromMillis(Files.getLastModifiedTime(python).toMillis() + 1000));
        assertThat(cache().rememberedInterpreter("\n\n3.11")).isEmpty();

        Files.delete(python);
        assertThat(cache().rememberedInterpreter("\n\n3.11")).isEmpty();
    }

    @Test
    void anInterpreterThisSideCannotSeeIsNotRemembered() throws Exception {
        cache().rememberInterpreter("image\n\n", new Interpreter("python3", "/only/in/the/image/python3", "3.10.1"),
                "");
        assertThat(cache().rememberedInterpreter("image\n\n")).isEmpty();
    }
}
