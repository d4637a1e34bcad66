package io.rankwise.training;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.AtomicFiles;
import io.rankwise.training.peft.AdaLoraSettings;
import io.rankwise.training.peft.HeadInputs;
import io.rankwise.training.peft.LoraSettings;
import io.rankwise.training.peft.PeftExporter;
import io.rankwise.training.peft.PeftSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished run leaves in its folder besides the checkpoint: {@code adapter/}, the adapters
 * and the task head in PEFT's format (AdaLoRA's, or plain LoRA's for a LoRA run), and for an
 * AdaLoRA run {@code rank_pattern.json} (module → which triplets survive; a LoRA run has no rank
 * pattern, and no such file).
 */
public final class RunArtifacts {
    /** The rank pattern's file in a run folder. */
    public static final String RANK_PATTERN_FILE = "rank_pattern.json";

    /** The PEFT export's folder in a run folder. */
    public static final String ADAPTER_FOLDER = "adapter";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunArtifacts() {}

    /** Writes them, replacing earlier ones, each file atomically. */
    static void write(
            Path runDir,
            RunResult result,
            ModelFamily family,
            PeftSettings export,
            HeadInputs inputs)
            throws IOException {
        inputs.write(Files.createDirectories(runDir.resolve(ADAPTER_FOLDER)));
        if (export instanceof LoraSettings lora) {
            PeftExporter.exportLora(
                    runDir.resolve(ADAPTER_FOLDER),
                    family,
                    result.loraAdapters(),
                    Optional.of(result.head()),
                    lora);
            return;
        }
        writeRankPattern(runDir.resolve(RANK_PATTERN_FILE), result.rankPattern());
        PeftExporter.export(
                runDir.resolve(ADAPTER_FOLDER),
                family,
                result.adapters(),
                Optional.of(result.head()),
                result.rankPattern(),
                (AdaLoraSettings) export);
    }

    /**
     * Writes {@code pattern} (module → which triplets survive) as JSON to {@code file}, atomically:
     * through a temporary file beside it and a rename, so that a write that fails midway (a full
     * disk, a kill) keeps the earlier file and leaves no temporary behind.
     */
    static void writeRankPattern(Path file, Map<String, boolean[]> pattern) throws IOException {
        AtomicFiles.replace(
                file,
                temp -> {
                    try (JsonGenerator json =
                            JSON.getFactory()
                                    .createGenerator(temp.toFile(), JsonEncoding.UTF8)
                                    .useDefaultPrettyPrinter()) {
                        json.writeStartObject();
                        for (Map.Entry<String, boolean[]> e : pattern.entrySet()) {
                            json.writeArrayFieldStart(e.getKey());
                            for (boolean b : e.getValue()) {
                                json.writeBoolean(b);
                            }
                            json.writeEndArray();
                        }
                        json.writeEndObject();
                    }
                });
    }
}
