package io.rankwise.training.model;

import io.rankwise.api.Backend;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
import io.rankwise.api.adapt.LoraAdapter;
import io.rankwise.api.adapt.SvdAdapter;
import io.rankwise.api.spi.AdapterProvider;
import io.rankwise.api.spi.Options;
import io.rankwise.models.data.TaskKind;
import io.rankwise.models.data.TaskSpec;
import io.rankwise.models.encoder.Encoder;
import io.rankwise.models.encoder.PretrainedEncoder;
import io.rankwise.models.encoder.SequenceClassifier;
import io.rankwise.models.encoder.TargetModules;
import io.rankwise.models.encoder.TaskHead;
import io.rankwise.models.family.ModelFamily;
import io.rankwise.models.pretrained.PretrainedModels;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.training.spec.ModelSources;
import io.rankwise.training.spec.RunSpec;
import io.rankwise.training.wiring.RunParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model of a run, built from its settings: the backend, the tokenizer, the pretrained encoder
 * with an adapter on every target module (AdaLoRA's SVD form, or plain LoRA's B A when {@code
 * adapter.kind} is {@code lora}), and the task head. Training, evaluation and export build it here
 * so that they all get the same variables (names, shapes, order) and a checkpoint of one fits the
 * others.
 *
 * <p>Host copies go both ways: {@link #adapterWeights()} (AdaLoRA), {@link #loraWeights()} (LoRA)
 * and {@link #headWeights()} for export, {@link #assign} and {@link #assignLora} for imported
 * values.
 */
public final class RunModel implements AutoCloseable {
    private final Backend backend;
    private final BertTokenizer tokenizer;
    private final Encoder encoder;
    private final TaskHead head;
    private final SequenceClassifier classifier;
    private final boolean fixedRank;
    private final List<SvdAdapter> adapters;
    private final List<LoraAdapter> loraAdapters;
    private VariableReader hostReader;

    private RunModel(
            Backend backend,
            BertTokenizer tokenizer,
            Encoder encoder,
            TaskHead head,
            boolean regression,
            boolean fixedRank) {
        this.backend = backend;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.head = head;
        this.classifier = new SequenceClassifier(encoder, head, regression);
        this.fixedRank = fixedRank;
        // open() made every adapter of the one form its kind has.
        Collection<Adapter> all = encoder.adapters().values();
        this.adapters = fixedRank ? List.of() : all.stream().map(a -> (SvdAdapter) a).toList();
        this.loraAdapters = fixedRank ? all.stream().map(a -> (LoraAdapter) a).toList() : List.of();
    }

    /**
     * Starts the configured backend and builds the model for a task of kind {@code spec}: adapters
     * and head initialised from the run's seed, as training starts them.
     *
     * @throws IllegalArgumentException if the model source is neither the embedded model nor a
     *     Hugging Face checkpoint folder with a tokenizer, or the targets match no layer
     * @throws IOException if the model files cannot be read
     */
    public static RunModel open(RunParts parts, TaskSpec spec) throws IOException {
        RunSpec run = parts.spec();
        PretrainedModels.Loaded files = modelFiles(run.model().source());
        Backend backend = parts.startBackend();
        BertTokenizer tokenizer = null;
        try {
            tokenizer =
                    BertTokenizer.fromFile(
                            files.tokenizerJson(),
                            run.model().maxLength(),
                            files.encoder().padTokenId());
            AdapterProvider adapters = parts.adapterProvider();
            Options adapterOptions = parts.adapterOptions();
            PretrainedEncoder pretrained = files.encoder();
            Encoder encoder =
                    pretrained.build(
                            backend,
                            run.model().dtype(),
                            new TargetModules(run.adapter().targetModules()),
                            (b, module, dIn, dOut) ->
                                    ofItsForm(
                                            adapters.create(b, module, dIn, dOut, adapterOptions),
                                            run.adapter()),
                            "");
            boolean regression = spec.kind() instanceof TaskKind.Regression;
            int outputs = regression ? 1 : ((TaskKind.Classification) spec.kind()).numClasses();
            TaskHead head =
                    new TaskHead(
                            backend,
                            "",
                            run.model().pooling().layout(pretrained.family()),
                            pretrained.hiddenSize(),
                            outputs,
                            run.model().dtype(),
                            run.training().seed(),
                            pretrained.headTensors());
            return new RunModel(
                    backend, tokenizer, encoder, head, regression, run.adapter().fixedRank());
        } catch (IOException | RuntimeException e) {
            // Nothing owns the backend and tokenizer yet: release them here.
            try (Backend b = backend;
                    BertTokenizer t = tokenizer) {
                throw e;
            }
        }
    }

    /**
     * The adapter, if it has the form its kind is trained in: plain LoRA's B A for {@code lora}
     * (trained at its fixed rank), AdaLoRA's SVD form P diag(Λ) Q for any other kind (the allocator
     * prunes its triplets).
     */
    private static Adapter ofItsForm(Adapter adapter, RunSpec.Adapter settings) {
        boolean fits =
                settings.fixedRank()
                        ? adapter instanceof LoraAdapter
                        : adapter instanceof SvdAdapter;
        if (fits) {
            return adapter;
        }
        throw new IllegalArgumentException(
                "adapter.kind is "
                        + settings.kind()
                        + ", whose adapters are "
                        + adapter.getClass().getSimpleName()
                        + "s; accepted: "
                        + RunSpec.Adapter.ADALORA
                        + " (SVD form P diag(Λ) Q, rank allocated) or "
                        + RunSpec.Adapter.LORA
                        + " (B A at a fixed rank)");
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

    /** Whether the adapters are plain LoRA's, at a fixed rank (no rank pattern). */
    public boolean fixedRank() {
        return fixedRank;
    }

    /**
     * The AdaLoRA adapters in model order, as the allocator numbers their triplets; empty for a
     * LoRA model ({@link #loraAdapters()}).
     */
    public List<SvdAdapter> adapters() {
        return adapters;
    }

    /** The plain LoRA adapters in model order; empty for an AdaLoRA model ({@link #adapters()}). */
    public List<LoraAdapter> loraAdapters() {
        return loraAdapters;
    }

    /** The sum of the adapters' ranks: r₀ or r times the number of adapted matrices. */
    public int totalRank() {
        return encoder.adapters().values().stream().mapToInt(Adapter::rank).sum();
    }

    /**
     * Every adapted module in model order, with its layer's {d_out, d_in}: what an imported adapter
     * must fit, whatever its form.
     */
    public Map<String, long[]> adaptedModules() {
        Map<String, long[]> modules = new LinkedHashMap<>();
        for (SvdAdapter a : adapters) {
            modules.put(a.module(), new long[] {a.left().shape().dim(0), a.right().shape().dim(1)});
        }
        for (LoraAdapter a : loraAdapters) {
            modules.put(a.module(), new long[] {a.b().shape().dim(0), a.a().shape().dim(1)});
        }
        return modules;
    }

    /**
     * Every trainable variable in the order the trainer hands them to the optimizer: each adapter's
     * parameters in model order, then the head's weight and bias.
     */
    public List<Variable> trainable() {
        List<Variable> all = new ArrayList<>(encoder.adapterParameters());
        all.addAll(head.parameters());
        return all;
    }

    /**
     * The AdaLoRA adapters' current values on the host, at full rank.
     *
     * @throws IllegalStateException for a LoRA model ({@link #loraWeights()})
     */
    public List<AdapterWeights> adapterWeights() {
        requireForm(false);
        List<double[]> values = hostValues();
        List<AdapterWeights> out = new ArrayList<>(adapters.size());
        for (int i = 0; i < adapters.size(); i++) {
            out.add(
                    AdapterWeights.of(
                            adapters.get(i),
                            values.get(3 * i),
                            values.get(3 * i + 1),
                            values.get(3 * i + 2)));
        }
        return out;
    }

    /**
     * The LoRA adapters' current values on the host.
     *
     * @throws IllegalStateException for an AdaLoRA model ({@link #adapterWeights()})
     */
    public List<LoraWeights> loraWeights() {
        requireForm(true);
        List<double[]> values = hostValues();
        List<LoraWeights> out = new ArrayList<>(loraAdapters.size());
        for (int i = 0; i < loraAdapters.size(); i++) {
            out.add(LoraWeights.of(loraAdapters.get(i), values.get(2 * i), values.get(2 * i + 1)));
        }
        return out;
    }

    /** Refuses to treat the adapters as the other form: a caller's bug, not bad input. */
    private void requireForm(boolean lora) {
        if (lora != fixedRank) {
            throw new IllegalStateException(
                    "this model's adapters are "
                            + (fixedRank ? "plain LoRA's (B A)" : "AdaLoRA's (P diag(Λ) Q)")
                            + "; use "
                            + (fixedRank ? "loraWeights/assignLora" : "adapterWeights/assign"));
        }
    }

    /**
     * The head's current values on the host, under Hugging Face's keys and in PyTorch's layout (see
     * {@link HeadWeights}).
     */
    public HeadWeights headWeights() {
        List<double[]> values = hostValues();
        List<Variable> parameters = head.parameters();
        List<String> keys = head.parameterKeys();
        int first = values.size() - parameters.size();
        List<HeadWeights.Tensor> tensors = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            long[] dims = parameters.get(i).shape().dims();
            double[] v = values.get(first + i);
            tensors.add(
                    dims.length == 2
                            ? new HeadWeights.Tensor(
                                    keys.get(i),
                                    new long[] {dims[1], dims[0]},
                                    transpose(v, (int) dims[0], (int) dims[1]))
                            : new HeadWeights.Tensor(keys.get(i), dims.clone(), v));
        }
        return new HeadWeights(head.layout().modulesToSave(), tensors);
    }

    /** The architecture family of the encoder. */
    public ModelFamily family() {
        return encoder.family();
    }

    /** A row-major rows × columns matrix as columns × rows. */
    private static double[] transpose(double[] m, int rows, int columns) {
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = m[r * columns + c];
            }
        }
        return t;
    }

    /**
     * Every adapter's parameters (P, Λ, Q of an AdaLoRA adapter; A, B of a LoRA one), then the
     * head's weights and biases: one read (see {@link VariableReader}).
     */
    private List<double[]> hostValues() {
        if (hostReader == null) {
            List<Variable> all = new ArrayList<>(encoder.adapterParameters());
            all.addAll(head.parameters());
            hostReader = new VariableReader(backend, all);
        }
        return hostReader.read();
    }

    /**
     * The rank pattern of a flat keep mask over all triplets (adapters in model order, init_r each,
     * as the allocator's state holds it), keyed by module. A LoRA model has no triplets: its mask
     * is empty, and so is its pattern.
     *
     * @throws IllegalArgumentException if the mask does not have one entry per triplet
     */
    public Map<String, boolean[]> rankPattern(boolean[] keep) {
        int triplets = adapters.stream().mapToInt(SvdAdapter::rank).sum();
        if (keep.length != triplets) {
            throw new IllegalArgumentException(
                    "the rank pattern has "
                            + keep.length
                            + " triplets; this model has "
                            + triplets
                            + (fixedRank
                                    ? " (plain LoRA adapters have no triplets to prune)"
                                    : ""));
        }
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        int offset = 0;
        for (SvdAdapter a : adapters) {
            pattern.put(a.module(), Arrays.copyOfRange(keep, offset, offset + a.rank()));
            offset += a.rank();
        }
        return pattern;
    }

    /**
     * Sets every AdaLoRA adapter and the head to host values: one {@link AdapterWeights} per
     * adapted module (at full rank) and the head's tensors in PyTorch's layout, with the same keys
     * and shapes as {@link #headWeights()}. Nothing is assigned unless all fit.
     *
     * @throws IllegalArgumentException if a module is missing or extra, or a shape differs
     * @throws IllegalStateException for a LoRA model ({@link #assignLora})
     */
    public void assign(List<AdapterWeights> values, HeadWeights headValues) {
        requireForm(false);
        Map<String, AdapterWeights> byModule = new LinkedHashMap<>();
        values.forEach(w -> byModule.put(w.module(), w));
        if (!byModule.keySet()
                .equals(
                        new java.util.HashSet<>(
                                adapters.stream().map(SvdAdapter::module).toList()))) {
            throw new IllegalArgumentException(
                    "the values are for the modules "
                            + byModule.keySet()
                            + "; the model adapts "
                            + adapters.stream().map(SvdAdapter::module).toList());
        }
        for (SvdAdapter a : adapters) {
            AdapterWeights w = byModule.get(a.module());
            if (w.rank() != a.rank()
                    || w.dOut() != a.left().shape().dim(0)
                    || w.dIn() != a.right().shape().dim(1)) {
                throw new IllegalArgumentException(
                        "the values of "
                                + a.module()
                                + " are "
                                + w
                                + "; the model's adapter is "
                                + a.left().shape().dim(0)
                                + "×"
                                + a.right().shape().dim(1)
                                + " rank "
                                + a.rank());
            }
        }
        requireHeadFits(headValues);
        for (SvdAdapter a : adapters) {
            AdapterWeights w = byModule.get(a.module());
            a.left().assign(w.p());
            a.singularValues().assign(w.lambda());
            a.right().assign(w.q());
        }
        assignHead(headValues);
    }

    /**
     * Sets every LoRA adapter and the head to host values: one {@link LoraWeights} per adapted
     * module at the model's rank r, and the head as {@link #assign} takes it. Nothing is assigned
     * unless all fit.
     *
     * @throws IllegalArgumentException if a module is missing or extra, or a shape differs
     * @throws IllegalStateException for an AdaLoRA model ({@link #assign})
     */
    public void assignLora(List<LoraWeights> values, HeadWeights headValues) {
        requireForm(true);
        Map<String, LoraWeights> byModule = new LinkedHashMap<>();
        values.forEach(w -> byModule.put(w.module(), w));
        List<String> modules = loraAdapters.stream().map(LoraAdapter::module).toList();
        if (!byModule.keySet().equals(new java.util.HashSet<>(modules))) {
            throw new IllegalArgumentException(
                    "the values are for the modules "
                            + byModule.keySet()
                            + "; the model adapts "
                            + modules);
        }
        for (LoraAdapter a : loraAdapters) {
            LoraWeights w = byModule.get(a.module());
            if (w.rank() != a.rank()
                    || w.dOut() != a.b().shape().dim(0)
                    || w.dIn() != a.a().shape().dim(1)) {
                throw new IllegalArgumentException(
                        "the values of "
                                + a.module()
                                + " are "
                                + w
                                + "; the model's adapter is "
                                + a.b().shape().dim(0)
                                + "×"
                                + a.a().shape().dim(1)
                                + " rank "
                                + a.rank());
            }
        }
        requireHeadFits(headValues);
        for (LoraAdapter a : loraAdapters) {
            LoraWeights w = byModule.get(a.module());
            a.a().assign(w.a());
            a.b().assign(w.b());
        }
        assignHead(headValues);
    }

    private void requireHeadFits(HeadWeights headValues) {
        HeadWeights current = headWeights();
        if (!current.fits(headValues)) {
            throw new IllegalArgumentException(
                    "the head values are "
                            + headValues.layout()
                            + "; the model's head is "
                            + current.layout());
        }
    }

    /** The head's variables from tensors in PyTorch's layout ([out, in] weights transposed). */
    private void assignHead(HeadWeights headValues) {
        List<Variable> parameters = head.parameters();
        Map<String, HeadWeights.Tensor> byKey = headValues.byKey();
        for (int i = 0; i < parameters.size(); i++) {
            HeadWeights.Tensor t = byKey.get(head.parameterKeys().get(i));
            parameters
                    .get(i)
                    .assign(
                            t.shape().length == 2
                                    ? transpose(t.values(), (int) t.shape()[0], (int) t.shape()[1])
                                    : t.values());
        }
    }

    /** Releases the tokenizer and the backend (and with it every variable). */
    @Override
    public void close() {
        try (Backend b = backend) {
            if (hostReader != null) {
                hostReader.close();
            }
            tokenizer.close();
        }
    }

    private static PretrainedModels.Loaded modelFiles(String source) throws IOException {
        if (source.equals(ModelSources.EMBEDDED_MINILM)) {
            return PretrainedModels.embeddedMiniLm();
        }
        Path dir = Path.of(source);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "model.source is "
                            + source
                            + "; accepted: "
                            + ModelSources.EMBEDDED_MINILM
                            + " or a Hugging Face checkpoint folder (config.json, model.safetensors, tokenizer.json)"
                            + " of model_type "
                            + String.join(", ", ModelFamily.supportedTypes()));
        }
        return PretrainedModels.load(dir);
    }
}
