package io.rankwise.models.encoder;

import io.rankwise.api.Backend;
import io.rankwise.api.DType;
import io.rankwise.api.Ops;
import io.rankwise.api.Shape;
import io.rankwise.api.Tensor;
import io.rankwise.api.Variable;
import io.rankwise.models.data.Example;
import io.rankwise.models.tokenize.BertTokenizer;
import io.rankwise.models.tokenize.TokenizedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An encoder with a task head: the model that fine-tuning trains. Batches are {@link
 * ClassifierBatch}es: the {@link EncoderInputs} (input ids, attention mask, token types, INT64 [B,
 * L]) and the labels (INT64 [B] for classes, floating [B] for regression).
 */
public final class SequenceClassifier {
    private final Encoder encoder;
    private final TaskHead head;
    private final boolean regression;

    /** Joins an encoder and a head; {@code regression} selects the MSE loss. */
    public SequenceClassifier(Encoder encoder, TaskHead head, boolean regression) {
        this.encoder = encoder;
        this.head = head;
        this.regression = regression;
    }

    /** The encoder. */
    public Encoder encoder() {
        return encoder;
    }

    /** The head. */
    public TaskHead head() {
        return head;
    }

    /** Whether the task is a regression. */
    public boolean regression() {
        return regression;
    }

    /** Logits [B, C] (or predictions [B, 1]) for the encoder's inputs. */
    public Tensor logits(
            Ops ops, EncoderInputs inputs, Function<Variable, Tensor> valueOf, Dropout dropout) {
        Tensor hidden = encoder.forward(ops, inputs, valueOf, dropout);
        return head.logits(ops, hidden, inputs.mask(), valueOf, dropout);
    }

    /** The mean loss of a batch against its labels. */
    public Tensor loss(
            Ops ops, ClassifierBatch batch, Function<Variable, Tensor> valueOf, Dropout dropout) {
        Tensor logits = logits(ops, batch.inputs(), valueOf, dropout);
        return regression
                ? TaskHead.meanSquaredError(ops, logits, batch.labels())
                : TaskHead.crossEntropy(ops, logits, batch.labels());
    }

    /** Tokenizes {@code examples} (singles or pairs) into host arrays for one batch. */
    public static TokenizedBatch tokenize(BertTokenizer tokenizer, List<Example> examples) {
        List<String> a = new ArrayList<>(examples.size());
        List<String> b = new ArrayList<>(examples.size());
        for (Example e : examples) {
            a.add(e.textA());
            b.add(e.textB());
        }
        boolean pairs = examples.stream().anyMatch(Example::isPair);
        if (pairs && examples.stream().anyMatch(e -> !e.isPair())) {
            throw new IllegalArgumentException(
                    "a batch mixes single texts and pairs (" + examples.get(0).source() + ")");
        }
        return pairs ? tokenizer.encodePairs(a, b) : tokenizer.encode(a);
    }

    /**
     * The batch's tensors on {@code backend}, made in the order ids, mask, types, labels. The
     * caller closes them (the batch is {@link AutoCloseable}).
     */
    public ClassifierBatch tensors(
            Backend backend, TokenizedBatch tokens, List<Example> examples, DType floating) {
        Shape shape = Shape.of(tokens.batchSize(), tokens.sequenceLength());
        List<Tensor> made = new ArrayList<>(4);
        try {
            Tensor ids = track(made, backend.tensor(tokens.inputIds(), shape, DType.INT64));
            Tensor mask = track(made, backend.tensor(tokens.attentionMask(), shape, DType.INT64));
            Tensor types = track(made, backend.tensor(tokens.tokenTypeIds(), shape, DType.INT64));
            double[] labels = examples.stream().mapToDouble(Example::label).toArray();
            Tensor gold =
                    regression
                            ? backend.tensor(labels, Shape.of(labels.length), floating)
                            : backend.tensor(
                                    java.util.Arrays.stream(labels)
                                            .mapToLong(l -> (long) l)
                                            .toArray(),
                                    Shape.of(labels.length),
                                    DType.INT64);
            return new ClassifierBatch(new EncoderInputs(ids, mask, types), gold);
        } catch (RuntimeException e) {
            made.forEach(Tensor::close); // a half-made batch would leak native memory
            throw e;
        }
    }

    private static Tensor track(List<Tensor> made, Tensor t) {
        made.add(t);
        return t;
    }
}
