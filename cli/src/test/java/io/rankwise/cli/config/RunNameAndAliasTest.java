package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run.name} names one folder inside {@code run.output_dir}: a name that would write the run
 * elsewhere ({@code ../../X}, an absolute path, a nested path) is refused, naming the key, the
 * value and what is accepted. YAML aliases, which the parser would read as their literal name, are
 * refused naming the key.
 */
class RunNameAndAliasTest {
    private static final String ACCEPTED =
            "; accepted: a folder name inside output_dir (no / or \\, not . or .., not absolute), or ''"
                    + " for a generated one";

    private static String error(String yaml, String... overrides) {
        return assertThrows(
                        ConfigException.class, () -> ConfigLoader.parse(yaml, List.of(overrides)))
                .getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../X", "..", ".", "/tmp/elsewhere", "nested/run", "..\\up", "a\\b"})
    void aNameThatLeavesOutputDirIsRefusedInYaml(String name) {
        // Single-quoted YAML: backslashes are literal.
        assertEquals("run.name is " + name + ACCEPTED, error("run:\n  name: '" + name + "'\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../X", "/abs/path", "..", "x/.."})
    void andOnTheCommandLine(String name) {
        assertEquals("run.name is " + name + ACCEPTED, error("", "run.name=" + name));
    }

    @Test
    void aControlCharacterIsRefused() {
        assertEquals("run.name is a\tb" + ACCEPTED, error("run:\n  name: \"a\\tb\"\n"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "my-run",
                "007",
                "ablation-20261130-224500",
                "a.b",
                "..a",
                "x+y",
                "a:b",
                "run 1"
            })
    void aFolderNameIsAccepted(String name) {
        assertEquals(name, ConfigLoader.parse("", List.of("run.name=" + name)).run().name());
    }

    @Test
    void anEmptyNameStillMeansGenerated() {
        assertEquals("", ConfigLoader.parse("run:\n  name: ''\n", List.of()).run().name());
    }

    @Test
    void codeThatBuildsTheRecordIsGuardedToo() {
        RunConfig run = ConfigLoader.parse("", List.of()).run();
        assertThrows(IllegalArgumentException.class, () -> run.withName("../x"));
    }

    @Test
    void anAliasIsRefusedNamingTheKey() {
        // It used to be read as the text "out": the run went to a folder called "out".
        assertEquals(
                "run.name is the YAML alias *out; accepted: the value itself (anchors & and aliases * are"
                        + " not supported in a configuration: write the value out)",
                error("run:\n  output_dir: &out runs\n  name: *out\n"));
    }

    @Test
    void anAliasInAListAndAMergeKeyAreRefusedToo() {
        assertEquals(
                "ablation.seeds[1] is the YAML alias *s; accepted: the value itself (anchors & and aliases *"
                        + " are not supported in a configuration: write the value out)",
                error("run:\n  seed: &s 3\nablation:\n  seeds: [1, *s]\n"));
        assertEquals(
                "training.<< is the YAML alias *base; accepted: the value itself (anchors & and aliases *"
                        + " are not supported in a configuration: write the value out)",
                error("model: &base\n  max_length: 24\ntraining:\n  <<: *base\n"));
    }

    @Test
    void anAnchorAloneIsHarmless() {
        assertEquals("grid", ConfigLoader.parse("run:\n  name: &n grid\n", List.of()).run().name());
    }
}
