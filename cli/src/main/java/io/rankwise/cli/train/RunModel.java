package io.rankwise.cli.train;

import io.rankwise.allocators.adapters.SvdLowRankAdapter;
import io.rankwise.api.Backend;
import io.rankwise.api.HostRandom;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.plugin.Plugins;
import io.rankwise.cli.config.ModelConfig;
import io.rankwise.cli.peft.AdapterWeights;
import io.rankwise.cli.peft.HeadWeights;
import io.rankwise.cli.peft.PeftAdapter;
import io.rankwise.cli.peft.PeftNames;
import io.rankwise.models.bert.BertEncoder;
import io.rankwise.models.bert.SequenceClassifier;
import io.rankwise.models.bert.TaskHead;
import io.rankwise.models.data.TaskKind;
import io.rankwise.models.data.TaskSpec;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.models.weights.BertWeights;
import io.rankwise.models.weights.EmbeddedModel;
import io.rankwise.models.weights.EmbeddedModels;
import io.rankwise.models.weights.HuggingFaceCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model of a run, built from its settings: the backend, the tokenizer, the pretrained encoder
 * with an AdaLoRA adapter on every target module, and the task head. Training, evaluation and
 * export build it here so that they all get the same variables (names, shapes, order) and a
 * checkpoint of one fits the others.
 *
 * <p>Host copies go both ways: {@link #adapterWeights()} and {@link #headWeights()} for export,
 * {@link #load(PeftAdapter, Path)} for an imported PEFT adapter.
 */
public final class RunModel implements AutoCloseable {
    private final RunSettings settings;
    private final Backend backend;
    private final BertTokenizer tokenizer;
    private final BertEncoder encoder;
    private final TaskHead head;
    private final SequenceClassifier classifier;
    private final List<SvdAdapter> adapters;

    private RunModel(RunSettings settings, Backend backend, BertTokenizer tokenizer, BertEncoder encoder, TaskHead head,
            boolean regression) {
        this.settings = settings;
        this.backend = backend;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.head = head;
        this.classifier = new SequenceClassifier(encoder, head, regression);
        this.adapters = encoder.adapters().values().stream().map(a -> (SvdAdapter) a).toList();
    }

    /**
     * Starts the configured backend and builds the model for a task of kind {@code spec}: adapters
     * and head initialised from the run's seed, as training starts them.
     *
     * @throws IllegalArgumentException if the model source is neither the embedded model nor a
     *     Hugging Face checkpoint folder with a tokenizer, or the targets match no layer
     * @throws IOException if the model files cannot be read
     */
    public static RunModel open(Plugins plugins, RunSettings settings, TaskSpec spec) throws IOException {
        ModelFiles files = modelFiles(settings.modelSource());
        Backend backend = plugins.backends().select(settings.backend(), p -> p.create(settings.device())).created();
        BertTokenizer tokenizer = null;
        try {
            tokenizer = BertTokenizer.fromFile(files.tokenizer(), settings.maxLength());
            BertEncoder encoder = new BertEncoder(backend, files.weights(), settings.dtype(), settings.targets(),
                    (b, module, dIn, dOut) -> new SvdLowRankAdapter(b, module, dIn, dOut, settings.initR(), settings.loraAlpha(),
                            settings.dtype(), HostRandom.forStream(settings.seed(), module.hashCode())), "");
            boolean regression = spec.kind() instanceof TaskKind.Regression;
            int outputs = regression ? 1 : ((TaskKind.Classification) spec.kind()).numClasses();
            TaskHead head = new TaskHead(backend, "", files.weights().config().hiddenSize(), outputs, settings.pooling(),
                    settings.dtype(), settings.seed());
            return new RunModel(settings, backend, tokenizer, encoder, head, regression);
        } catch (IOException | RuntimeException e) {
            // Nothing owns the backend and tokenizer yet: release them here.
            try (Backend b = backend; BertTokenizer t = tokenizer) {
                throw e;
            }
        }
    }

    /** The backend the variables live on. */
    public Backend backend() {
        return backend;
    }

    /** The tokenizer, cutting at the configured max_length. */
    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /** Encoder and head together. */
    public SequenceClassifier classifier() {
        return classifier;
    }

    /** The task head. */
    public TaskHead head() {
        return head;
    }

    /** The adapters in model order, as the allocator numbers their triplets. */
    public List<SvdAdapter> adapters() {
        return adapters;
    }

    /**
     * Every trainable variable in the order the trainer hands them to the optimizer: each
     * adapter's parameters in model order, then the head's weight and bias.
     */
    public List<Variable> trainable() {
        List<Variable> all = new ArrayList<>(encoder.adapterParameters());
        all.addAll(head.parameters());
        return all;
    }

    /** The adapters' current values on the host, at full rank. */
    public List<AdapterWeights> adapterWeights() {
        return adapters.stream().map(AdapterWeights::of).toList();
    }

    /** The head's current values on the host, in PyTorch's [outputs, hidden] layout. */
    public HeadWeights headWeights() {
        List<Variable> p = head.parameters();
        long[] dims = p.get(0).shape().dims();
        return HeadWeights.fromHiddenByOutputs(Math.toIntExact(dims[0]), Math.toIntExact(dims[1]), p.get(0).toDoubles(),
                p.get(1).toDoubles());
    }

    /**
     * The rank pattern of a flat keep mask over all triplets (adapters in model order, init_r
     * each, as the allocator's state holds it), keyed {@code <module>.lora_E}.
     *
     * @throws IllegalArgumentException if the mask does not have one entry per triplet
     */
    public Map<String, boolean[]> rankPattern(boolean[] keep) {
        int triplets = adapters.stream().mapToInt(SvdAdapter::rank).sum();
        if (keep.length != triplets) {
            throw new IllegalArgumentException("the rank pattern has " + keep.length + " triplets; this model has " + triplets);
        }
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        int offset = 0;
        for (SvdAdapter a : adapters) {
            pattern.put(PeftNames.rankPatternKey(a.module()), Arrays.copyOfRange(keep, offset, offset + a.rank()));
            offset += a.rank();
        }
        return pattern;
    }

    /**
     * Sets the adapters and the head to an imported PEFT adapter read from {@code folder}, after
     * checking that it fits this model: the same init_r and lora_alpha, exactly this model's adapted
     * modules with their widths, and a classification head of this model's shape. Nothing is
     * assigned unless everything fits.
     *
     * @throws IllegalArgumentException naming the file, the key, its value and what this model expects
     */
    public void load(PeftAdapter adapter, Path folder) {
        String config = folder.resolve(PeftNames.CONFIG_FILE).toString();
        String weights = folder.resolve(PeftNames.WEIGHTS_FILE).toString();
        if (adapter.settings().initR() != settings.initR()) {
            throw new IllegalArgumentException(config + ": init_r is " + adapter.settings().initR() + "; the model has adapter.init_r "
                    + settings.initR() + " (accepted: the same; --set adapter.init_r=" + adapter.settings().initR() + ")");
        }
        if (adapter.settings().loraAlpha() != settings.loraAlpha()) {
            throw new IllegalArgumentException(config + ": lora_alpha is " + adapter.settings().loraAlpha()
                    + "; the model has adapter.lora_alpha " + settings.loraAlpha() + " (accepted: the same, as it scales every"
                    + " update; --set adapter.lora_alpha=" + adapter.settings().loraAlpha() + ")");
        }
        Map<String, AdapterWeights> byModule = new LinkedHashMap<>();
        adapter.adapters().forEach(w -> byModule.put(w.module(), w));
        List<String> modelModules = adapters.stream().map(SvdAdapter::module).toList();
        for (String module : byModule.keySet()) {
            if (!modelModules.contains(module)) {
                throw new IllegalArgumentException(weights + ": '" + PeftNames.tensorKey(module, PeftNames.LORA_A)
                        + "' adapts a module the model does not (adapter.target_modules " + settings.targets().patterns()
                        + "; the file's target_modules are " + adapter.settings().targetModules() + ")");
            }
        }
        for (SvdAdapter a : adapters) {
            AdapterWeights w = byModule.get(a.module());
            if (w == null) {
                throw new IllegalArgumentException(weights + ": no '" + PeftNames.tensorKey(a.module(), PeftNames.LORA_A)
                        + "', but the model adapts " + a.module() + " (adapter.target_modules " + settings.targets().patterns()
                        + "; the file's target_modules are " + adapter.settings().targetModules() + ")");
            }
            long[] p = a.left().shape().dims();
            long[] q = a.right().shape().dims();
            if (w.dOut() != p[0] || w.dIn() != q[1]) {
                throw new IllegalArgumentException(weights + ": '" + PeftNames.tensorKey(a.module(), PeftNames.LORA_A)
                        + "' and '" + PeftNames.tensorKey(a.module(), PeftNames.LORA_B) + "' are for a " + w.dOut() + "×" + w.dIn()
                        + " layer; the model's " + a.module() + " is " + p[0] + "×" + q[1] + " (another base model?)");
            }
        }
        HeadWeights h = adapter.head().orElseThrow(() -> new IllegalArgumentException(weights + ": no '" + PeftNames.HEAD_WEIGHT
                + "' and '" + PeftNames.HEAD_BIAS + "'; evaluating needs the trained classification head, which PEFT saves"
                + " with modules_to_save=[\"" + PeftNames.HEAD_MODULE + "\"] (rankwise export writes it)"));
        HeadWeights current = headWeights();
        if (h.outputs() != current.outputs() || h.hidden() != current.hidden()) {
            throw new IllegalArgumentException(weights + ": '" + PeftNames.HEAD_WEIGHT + "' has shape [" + h.outputs() + ", "
                    + h.hidden() + "]; the model's head is [" + current.outputs() + ", " + current.hidden()
                    + "] (outputs of the task × hidden width of the model; another task or base model?)");
        }
        for (SvdAdapter a : adapters) {
            AdapterWeights w = byModule.get(a.module());
            a.left().assign(w.p());
            a.singularValues().assign(w.lambda());
            a.right().assign(w.q());
        }
        head.parameters().get(0).assign(h.weightHiddenByOutputs());
        head.parameters().get(1).assign(h.bias());
    }

    /** Releases the tokenizer and the backend (and with it every variable). */
    @Override
    public void close() {
        try (Backend b = backend) {
            tokenizer.close();
        }
    }

    /** The weights and tokenizer of a model source. */
    private record ModelFiles(BertWeights weights, Path tokenizer) {
    }

    private static ModelFiles modelFiles(String source) throws IOException {
        if (source.equals(ModelConfig.EMBEDDED_MINILM)) {
            EmbeddedModel m = EmbeddedModels.miniLmL6();
            return new ModelFiles(m.loadWeights(), m.tokenizerJson());
        }
        Path dir = Path.of(source);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model.source is " + source + "; accepted: " + ModelConfig.EMBEDDED_MINILM
                    + " or a Hugging Face checkpoint folder (config.json, model.safetensors, tokenizer.json)");
        }
        HuggingFaceCheckpoint checkpoint = HuggingFaceCheckpoint.load(dir);
        return new ModelFiles(checkpoint.weights(), checkpoint.tokenizerJson().orElseThrow(() ->
                new IllegalArgumentException("model.source " + dir + " has no tokenizer.json")));
    }
}
