package io.rankwise.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.training.peft.AdaLoraSettings;
import io.rankwise.training.peft.PeftExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished run leaves in its folder besides the checkpoint: {@code rank_pattern.json}
 * (module → which triplets survive) and {@code adapter/}, the adapters and the task head in PEFT's
 * AdaLoRA format.
 */
public final class RunArtifacts {
    /** The rank pattern's file in a run folder. */
    public static final String RANK_PATTERN_FILE = "rank_pattern.json";

    /** The PEFT export's folder in a run folder. */
    public static final String ADAPTER_FOLDER = "adapter";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunArtifacts() {}

    /** Writes both, replacing earlier ones. */
    static void write(Path runDir, RunResult result, AdaLoraSettings export) throws IOException {
        ObjectNode pattern = JSON.createObjectNode();
        for (Map.Entry<String, boolean[]> e : result.rankPattern().entrySet()) {
            ArrayNode array = pattern.putArray(e.getKey());
            for (boolean b : e.getValue()) {
                array.add(b);
            }
        }
        AtomicFiles.replace(
                runDir.resolve(RANK_PATTERN_FILE),
                temp -> JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), pattern));
        PeftExporter.export(
                runDir.resolve(ADAPTER_FOLDER),
                result.adapters(),
                Optional.of(result.head()),
                result.rankPattern(),
                export);
    }
}
