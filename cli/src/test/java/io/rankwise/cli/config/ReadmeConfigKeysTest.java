package io.rankwise.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Configuration keys" tables are {@link ConfigDocs#markdown} of the built-in plugins,
 * so that the README documents exactly the keys and defaults the code has, and each plugin option
 * as the plugin declares it (as {@code rankwise train --help} does). With {@code
 * -Drankwise.readme.update=true} the test rewrites the block instead of checking it.
 */
class ReadmeConfigKeysTest {
    static final String BEGIN = "<!-- config-keys:begin -->";
    static final String END = "<!-- config-keys:end -->";
    private static final String UPDATE = "rankwise.readme.update";
    private static final String REGENERATE =
            "mvn -q -pl cli -am verify -Dtest=ReadmeConfigKeysTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -D"
                    + UPDATE
                    + "=true";

    @Test
    void theReadmeBlockIsTheGeneratedMarkdown() throws IOException {
        Path readme = repositoryRoot().resolve("README.md");
        // Compared with \n line endings, so that a checkout with CRLF endings does not fail.
        String text = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(
                begin >= 0 && end > begin,
                readme
                        + " has no block between "
                        + BEGIN
                        + " and "
                        + END
                        + " (under \"## Configuration keys\"); add the two markers, then run: "
                        + REGENERATE);
        String expected = block();
        String actual = text.substring(begin, end + END.length());
        if (Boolean.getBoolean(UPDATE)) {
            if (!expected.equals(actual)) {
                Files.writeString(
                        readme,
                        text.substring(0, begin) + expected + text.substring(end + END.length()),
                        StandardCharsets.UTF_8);
                System.out.println("rewrote the configuration keys in " + readme);
            }
            return;
        }
        assertEquals(
                expected,
                actual,
                "the configuration keys in "
                        + readme
                        + " differ from ConfigDocs.markdown();"
                        + " regenerate them with: "
                        + REGENERATE);
    }

    /**
     * The block as the README holds it; blank lines around the tables keep them apart from the
     * markers.
     */
    static String block() {
        return BEGIN + "\n\n" + ConfigDocs.markdown(ConfigLoader.builtInPlugins()) + "\n" + END;
    }

    /**
     * The repository root, walking up from the working directory (the module folder under Maven,
     * the repository root in some IDEs): the first folder with a README.md beside a pom.xml that
     * lists modules, i.e. the parent POM.
     */
    private static Path repositoryRoot() throws IOException {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(dir.resolve("README.md"))
                    && Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>")) {
                return dir;
            }
        }
        throw new IOException(
                "no repository root (README.md beside a pom.xml with <modules>) above " + start);
    }
}
