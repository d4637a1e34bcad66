package io.rankwise.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rankwise.api.DType;
import io.rankwise.api.Shape;
import io.rankwise.api.StepFunction;
import io.rankwise.api.Tensor;
import io.rankwise.api.ValueAndGradients;
import io.rankwise.api.Variable;
import io.rankwise.testing.Backends;
import io.rankwise.testing.Check;
import io.rankwise.testing.Exec;
import io.rankwise.testing.Mlp;
import io.rankwise.testing.OpCases;
import io.rankwise.testing.RefArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same inputs through every discovered backend: results agree within 1e-5 (relative, with the
 * same absolute floor) in float32 and 1e-12 in float64. The first backend in name order is the one
 * the others are compared with. Up to two variants of each operation are compared (every variant is
 * checked against the float64 reference by the conformance suite, {@code
 * io.rankwise.testing.conformance.OpConformanceTest}, which each backend module runs on itself).
 * Refusals of bad arguments are worded the same on every backend.
 */
@ExtendWith(Backends.class)
class CrossBackendParityTest {

    static Stream<Arguments> cases() {
        Backends.names();
        List<Arguments> out = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (String c : OpCases.representativeNames(OpCases.names())) {
                out.add(Arguments.of(t, c));
            }
        }
        return out.stream();
    }

    @Test
    void theExpectedBackendsAreDiscoveredAndStart() {
        List<String> names = Backends.names();
        for (String n : Backends.required()) {
            var b = Backends.get(n);
            assertEquals(
                    n, b.name(), "backend created by provider '" + n + "' reports another name");
            assertEquals(io.rankwise.api.Device.cpu(), b.device(), n + ": device");
            org.junit.jupiter.api.Assertions.assertFalse(
                    b.describe().isBlank(), n + ": describe() is blank");
        }
        org.junit.jupiter.api.Assertions.assertTrue(
                names.size() >= 2, "backends discovered: " + names);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void opAgreesAcrossBackends(DType dtype, String caseName) {
        OpCases.OpCase c = OpCases.get(caseName);
        compare(
                dtype,
                "op '" + caseName + "'",
                (ops, in) -> List.of(c.fn.apply(ops, in, dtype)),
                c.inputs(dtype));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = DType.class,
            names = {"FLOAT64", "FLOAT32"})
    void mlpLossAndGradientsAgreeAcrossBackends(DType dtype) {
        compare(
                dtype,
                "MLP loss and gradients",
                (ops, in) -> {
                    ValueAndGradients vg =
                            ops.valueAndGradients(
                                    xs -> {
                                        List<Tensor> a = new ArrayList<>(xs);
                                        a.add(in.get(7));
                                        return Mlp.loss(ops, a, dtype);
                                    },
                                    new ArrayList<>(in.subList(0, 7)));
                    List<Tensor> out = new ArrayList<>();
                    out.add(vg.value());
                    out.addAll(vg.gradients());
                    return out;
                },
                Mlp.inputs(dtype, 23));
    }

    static Stream<Arguments> gradientCases() {
        Backends.names();
        List<Arguments> out = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (String c : OpCases.representativeNames(OpCases.differentiableNames())) {
                out.add(Arguments.of(t, c));
            }
        }
        return out.stream();
    }

    /** Gradients of ½ Σ op(args)² with respect to the op's floating inputs. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gradientCases")
    void gradientAgreesAcrossBackends(DType dtype, String caseName) {
        OpCases.OpCase c = OpCases.get(caseName);
        int[] wrt = c.wrt;
        compare(
                dtype,
                "gradient of '" + caseName + "'",
                (ops, in) -> {
                    List<Tensor> at = new ArrayList<>();
                    for (int k : wrt) {
                        at.add(in.get(k));
                    }
                    ValueAndGradients vg =
                            ops.valueAndGradients(
                                    xs -> {
                                        List<Tensor> a = new ArrayList<>(in);
                                        for (int i = 0; i < wrt.length; i++) {
                                            a.set(wrt[i], xs.get(i));
                                        }
                                        Tensor y = c.fn.apply(ops, a, dtype);
                                        return ops.sum(
                                                ops.mul(ops.square(y), ops.scalar(0.5, y.dtype())));
                                    },
                                    at);
                    List<Tensor> out = new ArrayList<>();
                    out.add(vg.value());
                    out.addAll(vg.gradients());
                    return out;
                },
                c.inputs(dtype));
    }

    static Stream<String> refusals() {
        return OpCases.refusalNames().stream();
    }

    /**
     * The conformance suite checks each backend's refusals in that backend's own module, where it
     * is alone; that every backend words a refusal the same needs them side by side.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreWordedAlikeAcrossBackends(String caseName) {
        OpCases.Refusal c = OpCases.refusal(caseName);
        Map<String, String> messages = new LinkedHashMap<>();
        for (String name : Backends.names()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    Exec.run(
                                            Backends.get(name),
                                            (ops, in) -> List.of(c.call().apply(ops, in)),
                                            c.inputs()),
                            name
                                    + " '"
                                    + caseName
                                    + "': not refused with an IllegalArgumentException");
            messages.put(name, e.getMessage());
        }
        assertEquals(
                1,
                messages.values().stream().distinct().count(),
                caseName + ": the backends refused with different messages: " + messages);
    }

    /** As above for assigning a value of another dtype or shape to a variable. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = DType.class,
            names = {"FLOAT64", "FLOAT32"})
    void refusedAssignsAreWordedAlikeAcrossBackends(DType dtype) {
        // One variable name on every backend (names are unique per backend), so that the messages
        // can be equal.
        String name = Backends.unique("assigned");
        DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (String backendName : Backends.names()) {
            variables.put(
                    backendName,
                    Backends.get(backendName)
                            .variable(name, new double[] {1, 2}, Shape.of(2), dtype, true));
        }
        for (Exec.In value :
                List.of(
                        new Exec.In(RefArray.of(new double[] {1, 2}, 2), other),
                        new Exec.In(RefArray.of(new double[] {1, 2}, 1, 2), dtype))) {
            String what =
                    "assign "
                            + value.dtype()
                            + " "
                            + Shape.of(value.value().shape)
                            + " to "
                            + dtype
                            + " [2]";
            Map<String, String> messages = new LinkedHashMap<>();
            for (Map.Entry<String, Variable> e : variables.entrySet()) {
                Variable v = e.getValue();
                IllegalArgumentException refused =
                        assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Exec.run(
                                                Backends.get(e.getKey()),
                                                (ops, in) -> {
                                                    ops.assign(v, in.get(0));
                                                    return List.of();
                                                },
                                                List.of(value)),
                                e.getKey() + " " + what + ": not refused");
                messages.put(e.getKey(), refused.getMessage());
            }
            assertEquals(
                    1,
                    messages.values().stream().distinct().count(),
                    what + ": the backends refused with different messages: " + messages);
        }
    }

    private static void compare(DType dtype, String what, StepFunction fn, List<Exec.In> inputs) {
        Map<String, List<Exec.Out>> results = new LinkedHashMap<>();
        for (String name : Backends.names()) {
            results.put(
                    name,
                    Exec.run(name + " " + what + " " + dtype, Backends.get(name), fn, inputs));
        }
        String first = results.keySet().iterator().next();
        List<Exec.Out> ref = results.get(first);
        double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (Map.Entry<String, List<Exec.Out>> e : results.entrySet()) {
            String label = e.getKey() + " vs " + first + " " + what + " " + dtype;
            assertEquals(ref.size(), e.getValue().size(), label + ": number of outputs");
            for (int i = 0; i < ref.size(); i++) {
                Exec.Out a = ref.get(i);
                Exec.Out b = e.getValue().get(i);
                String out = label + " output " + i;
                Check.shape(out, a.shape().dims(), b);
                assertEquals(a.dtype(), b.dtype(), out + ": dtype");
                double t = a.dtype().isFloating() ? tol : 0;
                // relative to the larger magnitude of the two, with the same absolute floor
                double[] av = a.values();
                double[] bv = b.values();
                double[] scaled = new double[av.length];
                for (int j = 0; j < av.length; j++) {
                    scaled[j] = Math.abs(bv[j]) > Math.abs(av[j]) ? bv[j] : av[j];
                }
                Check.close(out, av, bv, t, t, scaled);
            }
        }
    }
}
