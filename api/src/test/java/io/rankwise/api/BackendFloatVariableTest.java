package io.rankwise.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default float32 {@link Backend#variable(String, float[], Shape, DType, boolean)}: a backend
 * that implements only the {@code double[]} overload gets the floats widened exactly.
 */
class BackendFloatVariableTest {

    @Test
    void theDefaultWidensEachFloatExactlyAndPassesTheRestOn() {
        List<Object[]> calls = new ArrayList<>();
        Variable made = (Variable) proxy(Variable.class, (p, m, a) -> null);
        InvocationHandler handler =
                (p, m, a) -> {
                    if (m.isDefault()) {
                        return InvocationHandler.invokeDefault(p, m, a);
                    }
                    if (m.getName().equals("variable")
                            && m.getParameterTypes()[1] == double[].class) {
                        calls.add(a);
                        return made;
                    }
                    throw new UnsupportedOperationException(m.getName());
                };
        Backend backend = (Backend) proxy(Backend.class, handler);

        Variable v =
                backend.variable(
                        "w",
                        new float[] {0.1f, -Float.MAX_VALUE},
                        Shape.of(2),
                        DType.FLOAT64,
                        true);

        assertSame(made, v);
        assertEquals(1, calls.size());
        Object[] args = calls.get(0);
        assertEquals("w", args[0]);
        // The exact binary values of the floats: 0.1f = 13421773 / 2^27; the largest float is
        // (2 - 2^-23) * 2^127.
        assertArrayEquals(
                new double[] {13421773.0 / (1 << 27), -(2 - Math.pow(2, -23)) * Math.pow(2, 127)},
                (double[]) args[1],
                0);
        assertEquals(Shape.of(2), args[2]);
        assertEquals(DType.FLOAT64, args[3]);
        assertEquals(true, args[4]);
    }

    private static Object proxy(Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
