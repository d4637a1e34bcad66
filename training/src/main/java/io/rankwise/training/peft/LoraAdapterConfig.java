package io.rankwise.training.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.weights.JsonFiles;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The contents of a plain LoRA {@code adapter_config.json} ({@code peft_type} LORA): the settings
 * and the modules saved whole beside the adapters.
 *
 * <p>Written as {@code PeftConfigMixin.save_pretrained} writes a {@code LoraConfig}
 * (huggingface/peft, {@code src/peft/config.py}: {@code json.dumps(asdict(config), indent=2,
 * sort_keys=True)}, {@code inference_mode} true in the saved copy), with the fields {@code
 * LoraConfig} and its base {@code PeftConfig} have had since PEFT 0.4 — the same ones the AdaLoRA
 * export writes of its base {@code LoraConfig} ({@link PeftAdapterConfig}). Fields added by later
 * PEFT versions ({@code rank_pattern} and {@code alpha_pattern} for per-module ranks, {@code
 * use_rslora}, {@code use_dora}, ...) are left out on purpose: PEFT before 0.14 refuses unknown
 * keys, and newer versions fill in their defaults, which are Rankwise's LoRA ({@code {}}, {@code
 * false}: one rank and the scale α/r everywhere).
 *
 * <p>Read back, those fields must be absent or at their defaults: a rank pattern, rsLoRA's α/√r,
 * DoRA's magnitudes, {@code fan_in_fan_out} or a bias would each make the same tensors mean another
 * update than B A · α/r, and are refused naming the field.
 *
 * @param settings the LoRA settings
 * @param modulesToSave modules trained and saved in full, e.g. {@code ["classifier"]}; empty is
 *     written as {@code null}, PEFT's default
 */
public record LoraAdapterConfig(LoraSettings settings, List<String> modulesToSave) {

    /** Copies the module list. */
    public LoraAdapterConfig {
        Objects.requireNonNull(settings, "settings");
        modulesToSave = List.copyOf(modulesToSave);
    }

    /** The config as the JSON object PEFT writes, keys in sorted order. */
    public ObjectNode toJson() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        LoraSettings s = settings;
        root.putNull("auto_mapping");
        PeftAdapterConfig.putNullable(root, "base_model_name_or_path", s.baseModelNameOrPath());
        root.put("bias", "none");
        root.put("fan_in_fan_out", false);
        root.put("inference_mode", true);
        root.put("init_lora_weights", true);
        root.putNull("layers_pattern");
        root.putNull("layers_to_transform");
        PeftAdapterConfig.putAlpha(root, s.loraAlpha());
        root.put("lora_dropout", s.loraDropout());
        if (modulesToSave.isEmpty()) {
            root.putNull("modules_to_save");
        } else {
            ArrayNode modules = root.putArray("modules_to_save");
            modulesToSave.forEach(modules::add);
        }
        root.put("peft_type", LoraSettings.PEFT_TYPE);
        root.put("r", s.r());
        root.putNull("revision");
        ArrayNode targets = root.putArray("target_modules");
        s.targetModules().forEach(targets::add);
        PeftAdapterConfig.putNullable(root, "task_type", s.taskType());
        return root;
    }

    /** Writes {@code adapter_config.json} content to {@code file} as PEFT does. */
    public void write(Path file) throws IOException {
        PeftAdapterConfig.writePretty(file, toJson());
    }

    /**
     * Reads a LoRA {@code adapter_config.json}.
     *
     * @throws NoSuchFileException if it is absent
     * @throws WeightFormatException naming the file and the field if it is not valid JSON, not
     *     {@code peft_type} LORA, lacks a required field or holds a value Rankwise's LoRA cannot
     *     compute with
     */
    public static LoraAdapterConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    file.toString(),
                    null,
                    "no " + PeftNames.CONFIG_FILE + " in the adapter folder");
        }
        JsonNode root = JsonFiles.read(file, JsonFiles.MAX_CONFIG_BYTES);
        if (root == null || !root.isObject()) {
            throw new WeightFormatException(file, "must hold a JSON object");
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new WeightFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * Parses the fields of a config object; fields that do not change what the tensors mean are
     * ignored, as PEFT ignores unknown ones.
     */
    static LoraAdapterConfig fromJson(JsonNode root) {
        JsonNode type = root.get("peft_type");
        if (type == null || !LoraSettings.PEFT_TYPE.equals(type.asText())) {
            throw new IllegalArgumentException(
                    "peft_type is "
                            + type
                            + ", expected \""
                            + LoraSettings.PEFT_TYPE
                            + "\" (a plain LoRA adapter)");
        }
        requireDefault(root, "bias", "none", "only \"none\" is supported (no bias tensors)");
        requireDefault(
                root,
                "fan_in_fan_out",
                false,
                "only false is supported (lora_A [r, in], lora_B [out, r])");
        requireDefault(root, "use_rslora", false, "only false is supported (the scale alpha / r)");
        requireDefault(root, "use_dora", false, "only false is supported (no DoRA magnitudes)");
        requireDefault(root, "lora_bias", false, "only false is supported (no lora_B bias)");
        requireEmpty(root, "rank_pattern", "r");
        requireEmpty(root, "alpha_pattern", "lora_alpha");
        int r = PeftAdapterConfig.requiredInt(root, "r");
        if (r > PeftAdapterConfig.MAX_INIT_R) {
            // Checked before anything is sized from it.
            throw new IllegalArgumentException(
                    "r is "
                            + r
                            + ", more than the "
                            + PeftAdapterConfig.MAX_INIT_R
                            + " an adapter of a BERT-family layer can use");
        }
        LoraSettings settings =
                new LoraSettings(
                        r,
                        PeftAdapterConfig.requiredNumber(root, "lora_alpha"),
                        PeftAdapterConfig.targetModules(root),
                        PeftAdapterConfig.optionalText(root, "base_model_name_or_path"),
                        PeftAdapterConfig.optionalText(root, "task_type"),
                        root.hasNonNull("lora_dropout")
                                ? PeftAdapterConfig.requiredNumber(root, "lora_dropout")
                                : 0.0);
        return new LoraAdapterConfig(settings, PeftAdapterConfig.modulesToSave(root));
    }

    /** A field that, when present and not null, must have PEFT's default value. */
    private static void requireDefault(JsonNode root, String key, Object expected, String why) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return;
        }
        boolean ok =
                expected instanceof Boolean b
                        ? v.isBoolean() && v.booleanValue() == b
                        : v.isTextual() && v.textValue().equals(expected);
        if (!ok) {
            throw new IllegalArgumentException(key + " is " + v + "; " + why);
        }
    }

    /** A per-module pattern that, when present, must be empty: one value for every module. */
    private static void requireEmpty(JsonNode root, String key, String single) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull() || (v.isObject() && v.isEmpty())) {
            return;
        }
        throw new IllegalArgumentException(
                key
                        + " is "
                        + (v.isObject() ? "a map of " + v.size() + " modules" : v.toString())
                        + "; only {} is supported (every module with the one "
                        + single
                        + ")");
    }
}
