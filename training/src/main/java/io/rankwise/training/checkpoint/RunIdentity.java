package io.rankwise.training.checkpoint;

import io.rankwise.training.spec.RunSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * What ties a checkpoint to its run: the SHA-256 of the run configuration's canonical text ({@link
 * #canonical}) and the run's length T in steps. A run resumes, evaluates or exports only a
 * checkpoint whose identity is its own.
 *
 * <p>The hash covers what determines the model, its variables and the path training takes through
 * them: the model (source, max_length, pooling, dropout, dtype), the adapters (kind, init_r,
 * lora_alpha, target_modules, lora_dropout), the allocator, optimizer and metric plugins with all
 * their options, which training data (task name, max_train, skip_bad_rows; the seed that subsamples
 * it) and how it trains (epochs, max_steps, batch_size, grad_accumulation, lr_schedule, seed). A
 * LoRA run ({@code adapter.kind: lora}) uses no allocator and no metric, so their sections are left
 * out of its hash: changing them neither changes nor invalidates its checkpoint.
 *
 * <p>Left out, because a checkpoint stays valid when they change: the backend (engine, device and
 * threads: a grid cell may resume on another executor with another device or thread count, and a
 * finished run may be evaluated on another engine), where the data lies ({@code task.data_dir}),
 * how much of the dev split is evaluated ({@code task.max_eval}, {@code training.test_samples}) and
 * the cadence of logs, evaluations and checkpoints ({@code run.log_every}, {@code run.eval_every},
 * {@code run.checkpoint_every}). Plugin option values are compared as written numbers ({@code 10},
 * {@code 10L} and {@code 10.0} hash alike).
 *
 * @param configHash the SHA-256 of {@link #canonical}, 64 lower-case hex digits
 * @param totalSteps T, the run's steps
 */
public record RunIdentity(String configHash, long totalSteps) {

    /** Bytes of the binary hash. */
    static final int HASH_BYTES = 32;

    /** Requires a 64-digit hex hash and T &gt;= 0. */
    public RunIdentity {
        if (configHash == null || !configHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "configHash is " + configHash + "; accepted: 64 lower-case hex digits");
        }
        if (totalSteps < 0) {
            throw new IllegalArgumentException(
                    "totalSteps is " + totalSteps + "; accepted: an integer >= 0");
        }
    }

    /** The identity of {@code spec} running {@code totalSteps} steps. */
    public static RunIdentity of(RunSpec spec, long totalSteps) {
        return new RunIdentity(configHash(spec), totalSteps);
    }

    /**
     * The configuration hash of {@code spec} alone: what can be compared before the data (and with
     * it T) is loaded.
     */
    public static String configHash(RunSpec spec) {
        return hash(canonical(spec));
    }

    /**
     * The canonical text of the parts of {@code spec} that a checkpoint depends on (see above): one
     * {@code key=value} line per setting, plugin options sorted by key.
     */
    public static String canonical(RunSpec spec) {
        StringBuilder s = new StringBuilder("rankwise-run-identity 1\n");
        RunSpec.Model m = spec.model();
        line(s, "model.source", m.source());
        line(s, "model.max_length", m.maxLength());
        line(s, "model.pooling", m.pooling().name());
        line(s, "model.dropout", m.dropout());
        line(s, "model.dtype", m.dtype().name());
        RunSpec.Adapter a = spec.adapter();
        line(s, "adapter.kind", a.kind());
        line(s, "adapter.init_r", a.initR());
        line(s, "adapter.lora_alpha", a.loraAlpha());
        line(s, "adapter.target_modules", String.join(",", a.targetModules()));
        line(s, "adapter.lora_dropout", a.loraDropout());
        if (!a.fixedRank()) {
            plugin(s, "allocator", spec.allocator());
        }
        plugin(s, "optimizer", spec.optimizer());
        if (!a.fixedRank()) {
            plugin(s, "metric", spec.metric());
        }
        RunSpec.Data d = spec.task();
        line(s, "task.name", d.name());
        line(s, "task.max_train", d.maxTrain());
        line(s, "task.skip_bad_rows", d.skipBadRows());
        RunSpec.Training t = spec.training();
        line(s, "training.epochs", t.epochs());
        line(s, "training.max_steps", t.maxSteps());
        line(s, "training.batch_size", t.batchSize());
        line(s, "training.grad_accumulation", t.gradAccumulation());
        line(s, "training.lr_schedule", t.lrSchedule());
        line(s, "run.seed", t.seed());
        return s.toString();
    }

    /** The first 12 hex digits, for messages. */
    public String shortHash() {
        return configHash.substring(0, 12);
    }

    byte[] hashBytes() {
        return HexFormat.of().parseHex(configHash);
    }

    private static void plugin(StringBuilder s, String key, RunSpec.Plugin p) {
        line(s, key + ".name", p.name());
        for (Map.Entry<String, Object> e : p.options().entrySet()) {
            line(s, key + ".options." + e.getKey(), e.getValue());
        }
    }

    private static void line(StringBuilder s, String key, Object value) {
        String text =
                value instanceof Number n && isFinite(n)
                        ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                        : String.valueOf(value);
        s.append(key)
                .append('=')
                .append(text.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double d && !Double.isFinite(d))
                && !(n instanceof Float f && !Float.isFinite(f));
    }

    private static String hash(String canonical) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
