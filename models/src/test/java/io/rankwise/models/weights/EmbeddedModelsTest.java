package io.rankwise.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedModelsTest {
    @Test
    void copiesTheJarResourcesOnceIntoTheConfiguredCache(@TempDir Path cache) throws IOException {
        String previous = System.getProperty(EmbeddedModels.CACHE_PROPERTY);
        System.setProperty(EmbeddedModels.CACHE_PROPERTY, cache.toString());
        try {
            EmbeddedModel model = EmbeddedModels.miniLmL6();
            Path dir = cache.resolve("models/all-minilm-l6-v2");
            assertEquals(dir.resolve("model.onnx"), model.onnxFile());
            assertEquals(dir.resolve("tokenizer.json"), model.tokenizerJson());
            assertEquals(90_387_606L, Files.size(model.onnxFile()));
            assertEquals(12, model.config().numAttentionHeads());
            assertTrue(Files.isRegularFile(dir.resolve("config.json")));
            var modified = Files.getLastModifiedTime(model.onnxFile());
            assertEquals(model, EmbeddedModels.miniLmL6());
            assertEquals(
                    modified,
                    Files.getLastModifiedTime(model.onnxFile()),
                    "reused, not copied again");
            try (var files = Files.list(dir)) {
                assertEquals(3, files.count(), "no temporary files left");
            }
        } finally {
            if (previous == null) {
                System.clearProperty(EmbeddedModels.CACHE_PROPERTY);
            } else {
                System.setProperty(EmbeddedModels.CACHE_PROPERTY, previous);
            }
        }
    }
}
