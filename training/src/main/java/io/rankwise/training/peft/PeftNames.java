package io.rankwise.training.peft;

import io.rankwise.models.family.ModelFamily;
import java.util.Comparator;
import java.util.Optional;

/**
 * The file and tensor names of a PEFT adapter folder, AdaLoRA's or plain LoRA's, as Python PEFT
 * writes and reads them.
 *
 * <p>Sources (huggingface/peft):
 *
 * <ul>
 *   <li>{@code src/peft/tuners/adalora/layer.py}: {@code AdaLoraLayer} holds {@code lora_A}, {@code
 *       lora_B}, {@code lora_E} as {@code nn.ParameterDict}s keyed by adapter name, so the model's
 *       parameter is {@code <module>.lora_A.default} — a bare parameter, with no {@code .weight}
 *       suffix.
 *   <li>{@code src/peft/tuners/lora/layer.py}: plain LoRA's {@code LoraLayer.update_layer} makes
 *       {@code lora_A[adapter]} an {@code nn.Linear(in_features, r, bias=False)} and {@code
 *       lora_B[adapter]} an {@code nn.Linear(r, out_features)} (without bias unless {@code
 *       lora_bias}), so its parameters are {@code <module>.lora_A.default.weight} [r, d_in] and
 *       {@code <module>.lora_B.default.weight} [d_out, r]; saved with the adapter name removed
 *       ({@code BaseTuner._remove_adapter_name_from_key}): {@code
 *       base_model.model.<module>.lora_A.weight} ({@link #loraTensorKey}).
 *   <li>{@code src/peft/utils/save_and_load.py}, {@code get_peft_model_state_dict}: the keys come
 *       from the {@code PeftModel}'s state dict, hence the {@code base_model.model.} prefix, and
 *       the adapter name is removed at the end ("comes from an nn.Parameter, so no .weight suffix,
 *       the adapter name is directly at the end"). The saved key is therefore {@code
 *       base_model.model.<module>.lora_A}. On load, {@code _insert_adapter_name_into_state_dict}
 *       appends {@code .default} again, which only matches if there is no {@code .weight}.
 *   <li>{@code RankAllocator.mask_to_budget} (layer.py) keys the rank pattern by the {@code lora_E}
 *       parameter name within the base model ({@code <module>.lora_E.default}); {@code
 *       get_peft_model_state_dict} strips {@code .default} before saving the config, so {@code
 *       adapter_config.json} holds {@code "<module>.lora_E": [bools]}, without the {@code
 *       base_model.model.} prefix.
 *   <li>{@code src/peft/utils/other.py}, {@code ModulesToSaveWrapper}: a module listed in {@code
 *       modules_to_save} (the {@code classifier} of a {@code SEQ_CLS} model) is trained as a full
 *       copy held at {@code <module>.modules_to_save.<adapter>}; on save, {@code
 *       get_peft_model_state_dict} removes {@code modules_to_save.<adapter>.}, so the head is saved
 *       as {@code base_model.model.classifier.weight} and {@code .bias}, in {@code nn.Linear}'s
 *       layout [out, in].
 *   <li>{@code transformers}' {@code BertForSequenceClassification} holds the encoder as its {@code
 *       bert} attribute, so a module that Rankwise (like {@code BertModel}) calls {@code
 *       encoder.layer.0.attention.self.query} is {@code bert.encoder.layer.0...} in the {@code
 *       SEQ_CLS} model that PEFT wraps; the files use that path ({@link #peftModule}), and reading
 *       accepts both ({@link #rankwiseModule}), so that a {@code BertModel} adapter loads too.
 * </ul>
 */
public final class PeftNames {
    /** The config file, PEFT's {@code CONFIG_NAME}. */
    public static final String CONFIG_FILE = "adapter_config.json";

    /** The weights file, PEFT's {@code SAFETENSORS_WEIGHTS_NAME}. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    /** What {@code PeftModel.state_dict()} puts before a module path of the base model. */
    public static final String KEY_PREFIX = "base_model.model.";

    /** The {@code peft_type} of AdaLoRA. */
    public static final String PEFT_TYPE = "ADALORA";

    /** The {@code peft_type} of plain LoRA. */
    public static final String PEFT_TYPE_LORA = LoraSettings.PEFT_TYPE;

    /**
     * The parameter of an {@code nn.Linear}, which plain LoRA's {@code lora_A}, {@code lora_B} are.
     */
    public static final String WEIGHT = "weight";

    /** Q, the right singular vectors, [r, d_in]. */
    public static final String LORA_A = "lora_A";

    /** P, the left singular vectors, [d_out, r]. */
    public static final String LORA_B = "lora_B";

    /** Λ, the singular values, [r, 1]. */
    public static final String LORA_E = "lora_E";

    /** The module that every classification head has, listed in {@code modules_to_save}. */
    public static final String HEAD_MODULE = "classifier";

    /**
     * Orders module paths as a model lists them: segment by segment, numeric segments by value, so
     * that {@code encoder.layer.2} comes before {@code encoder.layer.10}.
     */
    public static final Comparator<String> MODULE_ORDER = PeftNames::compareModules;

    private PeftNames() {}

    /**
     * Rankwise's module path as the {@code SEQ_CLS} model of {@code family} names it: {@code
     * bert.<module>}, {@code roberta.<module>}, {@code deberta.<module>}.
     */
    public static String peftModule(ModelFamily family, String module) {
        String attribute = family.encoderAttribute() + ".";
        return module.startsWith(attribute) ? module : attribute + module;
    }

    /**
     * A module path from a PEFT file as Rankwise names it: without a leading encoder attribute
     * ({@code bert.}, {@code roberta.}, {@code deberta.}).
     */
    public static String rankwiseModule(String peftModule) {
        for (ModelFamily f : ModelFamily.values()) {
            String attribute = f.encoderAttribute() + ".";
            if (peftModule.startsWith(attribute)) {
                return peftModule.substring(attribute.length());
            }
        }
        return peftModule;
    }

    /**
     * The safetensors key of one part of a module's adapter, e.g. {@code
     * base_model.model.bert.<module>.lora_A} for Rankwise's {@code <module>} of a BERT.
     */
    public static String tensorKey(ModelFamily family, String module, String part) {
        return KEY_PREFIX + peftModule(family, module) + "." + part;
    }

    /**
     * The safetensors key of one part ({@link #LORA_A} or {@link #LORA_B}) of a plain LoRA adapter,
     * e.g. {@code base_model.model.bert.<module>.lora_A.weight} for Rankwise's {@code <module>} of
     * a BERT.
     */
    public static String loraTensorKey(ModelFamily family, String module, String part) {
        return tensorKey(family, module, part) + "." + WEIGHT;
    }

    /**
     * Splits a safetensors key of the form {@code base_model.model.<module>.lora_[AB].weight}, with
     * the module as Rankwise names it.
     *
     * @return empty for any other key (for example AdaLoRA's bare {@code ...lora_A})
     */
    public static Optional<TensorKey> parseLoraTensorKey(String key) {
        String suffix = "." + WEIGHT;
        if (!key.endsWith(suffix)) {
            return Optional.empty();
        }
        return parseTensorKey(key.substring(0, key.length() - suffix.length()))
                .filter(k -> !k.part().equals(LORA_E));
    }

    /**
     * The {@code rank_pattern} key of a module: {@code <module>.lora_E} (Rankwise's module path).
     */
    public static String rankPatternKey(String module) {
        return module + "." + LORA_E;
    }

    /** The module of a {@code rank_pattern} key, if it has the form {@code <module>.lora_E}. */
    public static Optional<String> moduleOfRankPatternKey(String key) {
        String suffix = "." + LORA_E;
        if (key.endsWith(suffix) && key.length() > suffix.length()) {
            return Optional.of(key.substring(0, key.length() - suffix.length()));
        }
        return Optional.empty();
    }

    /**
     * A rank pattern keyed by module, as training keeps it, with PEFT's {@code rank_pattern} keys
     * ({@code <module>.lora_E}), in the same order.
     */
    public static java.util.Map<String, boolean[]> byRankPatternKey(
            java.util.Map<String, boolean[]> byModule) {
        java.util.Map<String, boolean[]> out = new java.util.LinkedHashMap<>();
        byModule.forEach((module, keep) -> out.put(rankPatternKey(module), keep));
        return out;
    }

    /**
     * A rank pattern with PEFT's {@code <module>.lora_E} keys, keyed by module as training keeps
     * it.
     *
     * @throws IllegalArgumentException for a key not of that form
     */
    public static java.util.Map<String, boolean[]> byModule(
            java.util.Map<String, boolean[]> byKey) {
        java.util.Map<String, boolean[]> out = new java.util.LinkedHashMap<>();
        byKey.forEach(
                (key, keep) ->
                        out.put(
                                moduleOfRankPatternKey(key)
                                        .orElseThrow(
                                                () ->
                                                        new IllegalArgumentException(
                                                                "rank pattern key '"
                                                                        + key
                                                                        + "' must have the form <module>."
                                                                        + LORA_E)),
                                keep));
        return out;
    }

    /**
     * A tensor key split into module and part ({@link #LORA_A}, {@link #LORA_B} or {@link
     * #LORA_E}).
     */
    public record TensorKey(String module, String part) {}

    /**
     * Splits a safetensors key of the form {@code base_model.model.<module>.lora_[ABE]}, with the
     * module as Rankwise names it.
     *
     * @return empty for any other key (for example LoRA's {@code ...lora_A.weight})
     */
    public static Optional<TensorKey> parseTensorKey(String key) {
        if (!key.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        int dot = key.lastIndexOf('.');
        if (dot <= KEY_PREFIX.length()) {
            return Optional.empty();
        }
        String part = key.substring(dot + 1);
        if (!part.equals(LORA_A) && !part.equals(LORA_B) && !part.equals(LORA_E)) {
            return Optional.empty();
        }
        return Optional.of(
                new TensorKey(rankwiseModule(key.substring(KEY_PREFIX.length(), dot)), part));
    }

    private static int compareModules(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            if (isNumber(x[i]) && isNumber(y[i])) {
                c =
                        x[i].length() != y[i].length()
                                ? Integer.compare(x[i].length(), y[i].length())
                                : x[i].compareTo(y[i]);
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty()
                && s.chars().allMatch(Character::isDigit)
                && (s.length() == 1 || s.charAt(0) != '0');
    }
}
