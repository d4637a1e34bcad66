package io.rankwise.training.peft;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.weights.JsonFiles;
import io.rankwise.models.weights.WeightFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contents of an AdaLoRA {@code adapter_config.json}: the settings, the rank pattern and the
 * modules saved whole beside the adapters.
 *
 * <p>PEFT writes the config with {@code PeftConfigMixin.save_pretrained} (huggingface/peft, {@code
 * src/peft/config.py}): {@code json.dumps(asdict(config), indent=2, sort_keys=True)}, sets turned
 * into lists. {@code PeftModel.save_pretrained} sets {@code inference_mode} to true in the saved
 * copy. We write the fields that {@code AdaLoraConfig} and {@code LoraConfig} have had since
 * AdaLoRA was added; fields added by later PEFT versions are left out on purpose, because older
 * versions fail on unknown keys while newer ones fill in defaults for missing ones.
 *
 * @param settings the AdaLoRA settings
 * @param rankPattern {@code "<module>.lora_E"} → which triplets survive, with Rankwise's module
 *     paths (the file has {@code bert.<module>.lora_E}, see {@link PeftNames}); empty when none was
 *     computed (written as {@code null}, as PEFT does before the first allocation)
 * @param modulesToSave modules trained and saved in full, e.g. {@code ["classifier"]}; empty is
 *     written as {@code null}, PEFT's default
 * @param family the encoder family, whose attribute prefixes the module paths in the file ({@code
 *     bert.}, {@code roberta.}, {@code deberta.}); read back from the {@code rank_pattern} keys
 */
public record PeftAdapterConfig(
        AdaLoraSettings settings,
        Map<String, boolean[]> rankPattern,
        List<String> modulesToSave,
        ModelFamily family) {

    /**
     * PEFT's {@code LoraConfig.r} default. AdaLoRA ignores {@code r} (it uses {@code init_r}) and
     * {@code AdaLoraConfig.__post_init__} warns when {@code r != 8}, so we write the default, as a
     * config created without {@code r} would.
     */
    static final int LORA_CONFIG_DEFAULT_R = 8;

    /** The largest init_r read: a rank above the width of any BERT-family layer. */
    public static final int MAX_INIT_R = 4096;

    /** Copies the pattern into an unmodifiable map sorted by key, and the module list. */
    public PeftAdapterConfig {
        Objects.requireNonNull(settings, "settings");
        Map<String, boolean[]> copy = new TreeMap<>();
        rankPattern.forEach((k, v) -> copy.put(k, v.clone()));
        rankPattern = Collections.unmodifiableMap(copy);
        modulesToSave = List.copyOf(modulesToSave);
        Objects.requireNonNull(family, "family");
    }

    /** A config of a BERT adapter without {@code modules_to_save}. */
    public PeftAdapterConfig(AdaLoraSettings settings, Map<String, boolean[]> rankPattern) {
        this(settings, rankPattern, List.of(), ModelFamily.BERT);
    }

    /** The config as the JSON object PEFT writes. */
    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        AdaLoraSettings s = settings;
        root.putNull("auto_mapping");
        putNullable(root, "base_model_name_or_path", s.baseModelNameOrPath());
        root.put("beta1", s.beta1());
        root.put("beta2", s.beta2());
        root.put("bias", "none");
        root.put("deltaT", s.deltaT());
        root.put("fan_in_fan_out", false);
        root.put("inference_mode", true);
        root.put("init_lora_weights", true);
        root.put("init_r", s.initR());
        root.putNull("layers_pattern");
        root.putNull("layers_to_transform");
        putAlpha(root, s.loraAlpha());
        root.put("lora_dropout", s.loraDropout());
        if (modulesToSave.isEmpty()) {
            root.putNull("modules_to_save");
        } else {
            ArrayNode modules = root.putArray("modules_to_save");
            modulesToSave.forEach(modules::add);
        }
        root.put("orth_reg_weight", s.orthRegWeight());
        root.put("peft_type", PeftNames.PEFT_TYPE);
        root.put("r", LORA_CONFIG_DEFAULT_R);
        if (rankPattern.isEmpty()) {
            root.putNull("rank_pattern");
        } else {
            ObjectNode pattern = root.putObject("rank_pattern");
            rankPattern.forEach(
                    (key, keep) -> {
                        // The file names modules as the SEQ_CLS model does; the record keeps
                        // Rankwise's names.
                        ArrayNode bools = pattern.putArray(PeftNames.peftModule(family, key));
                        for (boolean b : keep) {
                            bools.add(b);
                        }
                    });
        }
        root.putNull("revision");
        ArrayNode targets = root.putArray("target_modules");
        s.targetModules().forEach(targets::add);
        root.put("target_r", s.targetR());
        putNullable(root, "task_type", s.taskType());
        root.put("tfinal", s.tfinal());
        root.put("tinit", s.tinit());
        root.put("total_step", s.totalStep());
        return root;
    }

    /**
     * Writes {@code adapter_config.json} content to {@code file}, keys sorted and indented by 2
     * like PEFT.
     */
    public void write(Path file) throws IOException {
        writePretty(file, toJson());
    }

    /** {@code lora_alpha}: an int in {@code LoraConfig}, so written as one when it is whole. */
    static void putAlpha(ObjectNode root, double alpha) {
        if (alpha == Math.rint(alpha) && Math.abs(alpha) < Integer.MAX_VALUE) {
            root.put("lora_alpha", (int) alpha);
        } else {
            root.put("lora_alpha", alpha);
        }
    }

    /** Writes a config object, its fields already in sorted order, indented by 2 like PEFT. */
    static void writePretty(Path file, ObjectNode config) throws IOException {
        // This printer gives Python's "key": value spacing.
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter(
                                Separators.createDefaultInstance()
                                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        Files.writeString(file, new ObjectMapper().writer(printer).writeValueAsString(config));
    }

    /**
     * Reads an AdaLoRA {@code adapter_config.json}.
     *
     * @throws NoSuchFileException if it is absent
     * @throws WeightFormatException naming the file and the field if it is not valid JSON, not
     *     {@code peft_type} ADALORA, lacks a required field or holds a bad value
     */
    public static PeftAdapterConfig read(Path file) throws IOException {
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
     * The {@code peft_type} of an {@code adapter_config.json}, to choose its reader; empty when the
     * file is missing, not JSON or has no textual {@code peft_type} (the reader then names what is
     * wrong).
     */
    public static Optional<String> peftTypeOf(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonNode root = JsonFiles.read(file, JsonFiles.MAX_CONFIG_BYTES);
            JsonNode type = root == null ? null : root.get("peft_type");
            return type != null && type.isTextual()
                    ? Optional.of(type.textValue())
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses the fields of a config object; fields we do not use are ignored, as PEFT ignores
     * unknown ones.
     */
    static PeftAdapterConfig fromJson(JsonNode root) {
        JsonNode type = root.get("peft_type");
        if (type == null || !PeftNames.PEFT_TYPE.equals(type.asText())) {
            throw new IllegalArgumentException(
                    "peft_type is "
                            + type
                            + ", expected \""
                            + PeftNames.PEFT_TYPE
                            + "\" (an AdaLoRA adapter)");
        }
        JsonNode bias = root.get("bias");
        if (bias != null && !bias.isNull() && !"none".equals(bias.asText())) {
            throw new IllegalArgumentException(
                    "bias is " + bias + "; only \"none\" is supported (no bias tensors)");
        }
        int initR = requiredInt(root, "init_r");
        if (initR > MAX_INIT_R) {
            // Checked before anything is sized from it (a rank pattern of init_r entries per
            // module, the full-rank adapters).
            throw new IllegalArgumentException(
                    "init_r is "
                            + initR
                            + ", more than the "
                            + MAX_INIT_R
                            + " an adapter of a BERT-family layer can use");
        }
        AdaLoraSettings settings =
                new AdaLoraSettings(
                        requiredInt(root, "init_r"),
                        requiredInt(root, "target_r"),
                        requiredNumber(root, "lora_alpha"),
                        requiredInt(root, "tinit"),
                        requiredInt(root, "tfinal"),
                        requiredInt(root, "deltaT"),
                        requiredInt(root, "total_step"),
                        requiredNumber(root, "orth_reg_weight"),
                        requiredNumber(root, "beta1"),
                        requiredNumber(root, "beta2"),
                        targetModules(root),
                        optionalText(root, "base_model_name_or_path"),
                        optionalText(root, "task_type"),
                        root.hasNonNull("lora_dropout")
                                ? requiredNumber(root, "lora_dropout")
                                : 0.0);
        return new PeftAdapterConfig(
                settings,
                rankPattern(root, settings.initR()),
                modulesToSave(root),
                familyOfPattern(root));
    }

    /** The family whose encoder attribute the rank pattern's keys start with; BERT if none. */
    private static ModelFamily familyOfPattern(JsonNode root) {
        JsonNode node = root.get("rank_pattern");
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                for (ModelFamily f : ModelFamily.values()) {
                    if (e.getKey().startsWith(f.encoderAttribute() + ".")) {
                        return f;
                    }
                }
            }
        }
        return ModelFamily.BERT;
    }

    private static Map<String, boolean[]> rankPattern(JsonNode root, int initR) {
        JsonNode node = root.get("rank_pattern");
        Map<String, boolean[]> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(
                    "rank_pattern must be an object {\"<module>.lora_E\": [bools]}, got "
                            + node.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            if (PeftNames.moduleOfRankPatternKey(key).isEmpty()) {
                throw new IllegalArgumentException(
                        "rank_pattern key '" + key + "' does not end in ." + PeftNames.LORA_E);
            }
            JsonNode list = e.getValue();
            if (!list.isArray() || list.size() != initR) {
                throw new IllegalArgumentException(
                        "rank_pattern['"
                                + key
                                + "'] must be a list of init_r = "
                                + initR
                                + " booleans, got "
                                + (list.isArray() ? list.size() + " entries" : list.getNodeType()));
            }
            boolean[] keep = new boolean[initR];
            for (int i = 0; i < initR; i++) {
                if (!list.get(i).isBoolean()) {
                    throw new IllegalArgumentException(
                            "rank_pattern['"
                                    + key
                                    + "']["
                                    + i
                                    + "] must be true or false, got "
                                    + list.get(i));
                }
                keep[i] = list.get(i).booleanValue();
            }
            out.put(PeftNames.rankwiseModule(key), keep);
        }
        return out;
    }

    static List<String> modulesToSave(JsonNode root) {
        JsonNode node = root.get("modules_to_save");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(
                    "modules_to_save must be a list of module names or null, got " + node);
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> targetModules(JsonNode root) {
        JsonNode node = root.get("target_modules");
        if (node == null || !node.isArray()) {
            // PEFT also allows a regex string here; Rankwise only writes lists of names.
            throw new IllegalArgumentException(
                    "target_modules must be a list of module names, got "
                            + (node == null ? "nothing" : node));
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    static int requiredInt(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(
                    "field '" + key + "' must be an integer, got " + (v == null ? "nothing" : v));
        }
        return v.intValue();
    }

    static double requiredNumber(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(
                    "field '" + key + "' must be a number, got " + (v == null ? "nothing" : v));
        }
        return v.doubleValue();
    }

    static String optionalText(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(
                    "field '" + key + "' must be a string or null, got " + v);
        }
        return v.asText();
    }

    static void putNullable(ObjectNode node, String key, String value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
