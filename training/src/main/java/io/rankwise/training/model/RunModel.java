package io.rankwise.training.model;

import io.rankwise.api.Backend;
import io.rankwise.api.Variable;
import io.rankwise.api.adapt.Adapter;
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
 * {@link #assign} for imported values.
 */
public final class RunModel implements AutoCloseable {
    private final Backend backend;
    private final BertTokenizer tokenizer;
    private final Encoder encoder;
    private final TaskHead head;
    private final SequenceClassifier classifier;
    private final List<SvdAdapter> adapters;
    private VariableReader hostReader;

    private RunModel(
            Backend backend,
            BertTokenizer tokenizer,
            Encoder encoder,
            TaskHead head,
            boolean regression) {
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
                                    svd(
                                            adapters.create(b, module, dIn, dOut, adapterOptions),
                                            run.adapter().kind()),
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
            return new RunModel(backend, tokenizer, encoder, head, regression);
        } catch (IOException | RuntimeException e) {
            // Nothing owns the backend and tokenizer yet: release them here.
            try (Backend b = backend;
                    BertTokenizer t = tokenizer) {
                throw e;
            }
        }
    }

    /**
     * AdaLoRA's allocator prunes triplets of SVD-form adapters; other kinds cannot take part yet.
     */
    private static SvdAdapter svd(Adapter adapter, String kind) {
        if (adapter instanceof SvdAdapter svd) {
            return svd;
        }
        throw new IllegalArgumentException(
                "adapter.kind is "
                        + kind
                        + ", whose adapters are not in SVD form (P diag(Λ) Q);"
                        + " accepted: an SVD-form adapter kind such as adalora (training plain LoRA is not supported yet)");
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
     * Every trainable variable in the order the trainer hands them to the optimizer: each adapter's
     * parameters in model order, then the head's weight and bias.
     */
    public List<Variable> trainable() {
        List<Variable> all = new ArrayList<>(encoder.adapterParameters());
        all.addAll(head.parameters());
        return all;
    }

    /** The adapters' current values on the host, at full rank. */
    public List<AdapterWeights> adapterWeights() {
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
     * The head's current values on the host, under Hugging Face's keys and in PyTorch's layout (see
     * {@link HeadWeights}).
     */
    public HeadWeights headWeights() {
        List<double[]> values = hostValues();
        List<Variable> parameters = head.parameters();
        List<String> keys = head.parameterKeys();
        int first = 3 * adapters.size();
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
     * P, Λ, Q of every adapter, then the head's weight and bias: one read (see {@link
     * VariableReader}).
     */
    private List<double[]> hostValues() {
        if (hostReader == null) {
            List<Variable> all = new ArrayList<>();
            for (SvdAdapter a : adapters) {
                all.add(a.left());
                all.add(a.singularValues());
                all.add(a.right());
            }
            all.addAll(head.parameters());
            hostReader = new VariableReader(backend, all);
        }
        return hostReader.read();
    }

    /**
     * The rank pattern of a flat keep mask over all triplets (adapters in model order, init_r each,
     * as the allocator's state holds it), keyed by module.
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
                            + triplets);
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
     * Sets every adapter and the head to host values: one {@link AdapterWeights} per adapted module
     * (at full rank) and the head's tensors in PyTorch's layout, with the same keys and shapes as
     * {@link #headWeights()}. Nothing is assigned unless all fit.
     *
     * @throws IllegalArgumentException if a module is missing or extra, or a shape differs
     */
    public void assign(List<AdapterWeights> values, HeadWeights headValues) {
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
        HeadWeights current = headWeights();
        if (!current.fits(headValues)) {
            throw new IllegalArgumentException(
                    "the head values are "
                            + headValues.layout()
                            + "; the model's head is "
                            + current.layout());
        }
        for (SvdAdapter a : adapters) {
            AdapterWeights w = byModule.get(a.module());
            a.left().assign(w.p());
            a.singularValues().assign(w.lambda());
            a.right().assign(w.q());
        }
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
