package io.rankwise.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark command: where the time of djl's eager MiniLM training step goes (issue 14), read from
 * PyTorch's own profiler (through DJL's {@code JniUtils.startProfile}) over one warm step of {@link
 * ModelBenchmark}'s training (same model, batch and Adam).
 *
 * <p>Each profiler event is one PyTorch operator call with its start and duration on its thread;
 * calls nest (an {@code aten::matmul} contains its {@code aten::mm}). An operator's self time is
 * its duration less that of the calls directly inside it; the top-level calls are those the
 * framework (or autograd's engine, for the backward pass) made. The step's wall time less the time
 * inside top-level calls is spent outside PyTorch: in Java, JNI, and Rankwise's own bookkeeping.
 *
 * <p>Prints two Markdown tables: the step's totals (wall time, time inside PyTorch, outside it,
 * top-level operator calls) and the self time per kind of operator; then the operators with the
 * most self time. Writes the trace (Chrome trace format; chrome://tracing or ui.perfetto.dev opens
 * it) to {@code trace=PATH} (default {@code target/djl-step-trace.json}).
 *
 * <p>Arguments: {@code batch=N}, {@code length=N} (default 16 and 128).
 */
public final class EagerStepProfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Operator kinds, matched in order: an {@code aten::} pattern by the exact name, any other
     * anywhere in it; the first kind that fits wins. Autograd's engine and the backward nodes it
     * calls are wrappers whose self time is its own dispatch cost; the kernels they run count under
     * their own kinds.
     */
    private static final Map<String, List<String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(
                "matrix products (mm, bmm, addmm)",
                List.of("aten::mm", "aten::bmm", "aten::addmm", "aten::matmul", "aten::linear"));
        KINDS.put(
                "element-wise arithmetic",
                List.of(
                        "aten::mul",
                        "aten::add",
                        "aten::sub",
                        "aten::div",
                        "aten::neg",
                        "aten::pow",
                        "aten::sqrt",
                        "aten::rsqrt",
                        "aten::exp",
                        "aten::erf",
                        "aten::gelu",
                        "aten::tanh",
                        "aten::where",
                        "aten::masked_fill",
                        "aten::clamp",
                        "aten::abs",
                        "aten::reciprocal",
                        "aten::square",
                        "aten::threshold"));
        KINDS.put(
                "normalisation and softmax",
                List.of(
                        "aten::native_layer_norm",
                        "aten::_softmax",
                        "aten::_log_softmax",
                        "aten::_softmax_backward_data",
                        "aten::_log_softmax_backward_data",
                        "aten::native_layer_norm_backward",
                        "aten::gelu_backward"));
        KINDS.put(
                "reductions (sum, mean)",
                List.of("aten::sum", "aten::mean", "aten::max", "aten::min"));
        KINDS.put(
                "copies and layout",
                List.of(
                        "aten::copy_",
                        "aten::contiguous",
                        "aten::clone",
                        "aten::permute",
                        "aten::transpose",
                        "aten::view",
                        "aten::reshape",
                        "aten::_reshape_alias",
                        "aten::as_strided",
                        "aten::expand",
                        "aten::t",
                        "aten::unsqueeze",
                        "aten::squeeze",
                        "aten::slice",
                        "aten::select",
                        "aten::index",
                        "aten::cat",
                        "aten::stack",
                        "aten::narrow",
                        "aten::detach",
                        "aten::alias",
                        "aten::to",
                        "aten::_to_copy"));
        KINDS.put(
                "allocation and filling",
                List.of(
                        "aten::empty",
                        "aten::empty_strided",
                        "aten::full",
                        "aten::fill_",
                        "aten::zeros",
                        "aten::zero_",
                        "aten::ones",
                        "aten::ones_like",
                        "aten::zeros_like",
                        "aten::empty_like",
                        "aten::resize_"));
        KINDS.put(
                "autograd engine and backward nodes (dispatch)",
                List.of("autograd::", "Backward", "torch::autograd::"));
    }

    private EagerStepProfile() {}

    /** One operator call from the trace. */
    private record Call(String name, double start, double duration, long thread) {
        double end() {
            return start + duration;
        }
    }

    /** Self time and count, summed over calls of one name or kind. */
    private static final class Total {
        double selfUs;
        int calls;
    }

    /** Runs the profile; see the class comment for arguments. */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = Contention.arguments(args);
        int batch = Contention.positive(a, "batch", 16);
        int length = Contention.positive(a, "length", 128);
        Path trace = Path.of(a.getOrDefault("trace", "target/djl-step-trace.json"));
        if (trace.getParent() != null) {
            Files.createDirectories(trace.getParent());
        }
        double wallMs;
        try (ModelBenchmark.Training training =
                ModelBenchmark.Training.open("djl", batch, length, 0)) {
            training.step(1);
            training.step(2);
            JniUtils.startProfile(false, false, false);
            wallMs = training.step(3);
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
        }
        report(read(trace), wallMs, batch, length, trace);
    }

    private static List<Call> read(Path trace) throws IOException {
        List<Call> calls = new ArrayList<>();
        for (JsonNode e : JSON.readTree(trace.toFile())) {
            if ("X".equals(e.path("ph").asText())) {
                calls.add(
                        new Call(
                                e.path("name").asText(),
                                e.path("ts").asDouble(),
                                e.path("dur").asDouble(),
                                e.path("tid").asLong()));
            }
        }
        return calls;
    }

    private static void report(List<Call> calls, double wallMs, int batch, int length, Path trace) {
        Map<String, Total> byName = new TreeMap<>();
        double topLevelUs = 0;
        int topLevelCalls = 0;
        Map<Long, List<Call>> byThread = new TreeMap<>();
        calls.forEach(c -> byThread.computeIfAbsent(c.thread(), t -> new ArrayList<>()).add(c));
        for (List<Call> thread : byThread.values()) {
            thread.sort(
                    Comparator.comparingDouble(Call::start)
                            .thenComparing(Comparator.comparingDouble(Call::duration).reversed()));
            Deque<Call> open = new ArrayDeque<>();
            Map<Call, Double> childUs = new IdentityHashMap<>();
            for (Call c : thread) {
                while (!open.isEmpty() && open.peek().end() <= c.start()) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    topLevelUs += c.duration();
                    topLevelCalls++;
                } else {
                    childUs.merge(open.peek(), c.duration(), Double::sum);
                }
                open.push(c);
            }
            for (Call c : thread) {
                Total t = byName.computeIfAbsent(c.name(), n -> new Total());
                t.selfUs += c.duration() - childUs.getOrDefault(c, 0.0);
                t.calls++;
            }
        }
        Map<String, Total> byKind = new LinkedHashMap<>();
        KINDS.keySet().forEach(k -> byKind.put(k, new Total()));
        byKind.put("other", new Total());
        double selfUs = 0;
        for (Map.Entry<String, Total> e : byName.entrySet()) {
            Total kind = byKind.get(kindOf(e.getKey()));
            kind.selfUs += e.getValue().selfUs;
            kind.calls += e.getValue().calls;
            selfUs += e.getValue().selfUs;
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "## Where djl's eager training step goes (EagerStepProfile)%n%nMiniLM-L6 with"
                        + " adapters, batch %d x %d, float32, Adam; one warm step under PyTorch's"
                        + " profiler, which slows it a little. Trace: %s%n%n",
                batch,
                length,
                trace);
        System.out.println(
                "| step ms (profiled) | inside PyTorch ops ms | outside (Java, JNI, Rankwise) ms |"
                        + " outside share | top-level op calls | all op calls |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        double insideMs = topLevelUs / 1e3;
        System.out.printf(
                Locale.ROOT,
                "| %.0f | %.0f | %.0f | %.1f%% | %d | %d |%n%n",
                wallMs,
                insideMs,
                wallMs - insideMs,
                100 * (wallMs - insideMs) / wallMs,
                topLevelCalls,
                calls.size());
        System.out.println("| kind of operator | self ms | share of time in ops | calls |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (Map.Entry<String, Total> e : byKind.entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f%% | %d |%n",
                    e.getKey(),
                    e.getValue().selfUs / 1e3,
                    100 * e.getValue().selfUs / selfUs,
                    e.getValue().calls);
        }
        System.out.println();
        System.out.println("| operator (top 12 by self time) | self ms | calls |");
        System.out.println("| --- | ---: | ---: |");
        byName.entrySet().stream()
                .sorted(
                        Comparator.comparingDouble(
                                        (Map.Entry<String, Total> e) -> e.getValue().selfUs)
                                .reversed())
                .limit(12)
                .forEach(
                        e ->
                                System.out.printf(
                                        Locale.ROOT,
                                        "| %s | %.1f | %d |%n",
                                        e.getKey(),
                                        e.getValue().selfUs / 1e3,
                                        e.getValue().calls));
    }

    /** The first kind with a pattern that fits the name; "other" for none. */
    static String kindOf(String name) {
        for (Map.Entry<String, List<String>> kind : KINDS.entrySet()) {
            for (String pattern : kind.getValue()) {
                // aten operators by exact name; the autograd patterns anywhere in the name.
                boolean exact = pattern.startsWith("aten::");
                if (exact ? name.equals(pattern) : name.contains(pattern)) {
                    return kind.getKey();
                }
            }
        }
        return "other";
    }
}
