package io.rankwise.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Named tensor inputs for positional step functions: turns a <em>tensor record</em> into the flat
 * {@code List<Tensor>} that {@link CompiledFunction#call} and {@link StepFunction#apply} take, and
 * back. This is the one place that knows positions; everything else reads inputs by name (a batch's
 * {@code ids()}, an optimizer's {@code lr()}).
 *
 * <p>A tensor record is built from:
 *
 * <ul>
 *   <li>a {@link Tensor} (one position);
 *   <li>a {@link Record} whose components are all tensor records (its components in declaration
 *       order);
 *   <li>a {@link List} of tensor records (its elements in order; the length is part of the
 *       structure, e.g. one tensor per weight-noise draw or one record per micro-batch).
 * </ul>
 *
 * The flat order is depth-first in declaration order, so it is stable: that matters because
 * TensorFlow traces a compiled function once per input signature, and the numbers fed at one
 * position must mean the same thing every step. Components that are {@code null}, or of any other
 * type (numbers, strings, arrays), are refused with a message naming the component.
 *
 * <p>The structure of a value (record classes, list lengths) is its {@link Layout}; the layout
 * rebuilds the value from a flat list inside a step function (with symbolic tensors on graph
 * engines), through each record's canonical constructor. Record constructors therefore must not
 * read tensor values. Records need not be public: their accessors and constructor are made
 * accessible reflectively (which works for classes on the class path and in open packages). {@link
 * RecordFunction} joins a layout and a compiled function, so callers rarely need either.
 */
public final class TensorRecords {

    /** Reflection per record class, found once: the accessors and the canonical constructor. */
    private static final ClassValue<RecordShape> SHAPES =
            new ClassValue<>() {
                @Override
                protected RecordShape computeValue(Class<?> type) {
                    return RecordShape.of(type);
                }
            };

    private TensorRecords() {}

    /**
     * The tensors of {@code value}, depth-first in declaration order.
     *
     * @throws IllegalArgumentException if {@code value} is not a tensor record
     */
    public static List<Tensor> flatten(Object value) {
        List<Tensor> out = new ArrayList<>();
        flattenInto(value, value == null ? "value" : value.getClass().getSimpleName(), out);
        return Collections.unmodifiableList(out);
    }

    /**
     * The structure of {@code value}: its record classes and list lengths, as many positions as
     * {@link #flatten} gives.
     *
     * @throws IllegalArgumentException if {@code value} is not a tensor record
     */
    public static <T> Layout<T> layout(T value) {
        return new Layout<>(
                nodeOf(value, value == null ? "value" : value.getClass().getSimpleName()));
    }

    /**
     * The structure of every value of {@code type}, when the type alone fixes it: a record whose
     * components are declared as {@link Tensor} or as such records (no lists, no interfaces).
     *
     * @throws IllegalArgumentException if the type does not fix the structure
     */
    public static <T> Layout<T> layout(Class<T> type) {
        return new Layout<>(nodeOf(type, type.getSimpleName()));
    }

    /**
     * Closes every tensor of {@code value} (each once, even if it appears twice), for records that
     * own their tensors. A failure to close one does not stop the others; the first is rethrown.
     */
    public static void close(Object value) {
        RuntimeException first = null;
        Set<Tensor> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : flatten(value)) {
            if (closed.add(t)) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void flattenInto(Object value, String path, List<Tensor> out) {
        if (value instanceof Tensor t) {
            out.add(t);
        } else if (value instanceof Record r) {
            RecordShape shape = SHAPES.get(r.getClass());
            for (int i = 0; i < shape.accessors.length; i++) {
                flattenInto(shape.read(r, i), path + "." + shape.names[i], out);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flattenInto(list.get(i), path + "[" + i + "]", out);
            }
        } else {
            throw notATensorRecord(value, path);
        }
    }

    private static Node nodeOf(Object value, String path) {
        if (value instanceof Tensor) {
            return Leaf.INSTANCE;
        } else if (value instanceof Record r) {
            RecordShape shape = SHAPES.get(r.getClass());
            List<Node> children = new ArrayList<>(shape.accessors.length);
            for (int i = 0; i < shape.accessors.length; i++) {
                children.add(nodeOf(shape.read(r, i), path + "." + shape.names[i]));
            }
            return new RecordNode(r.getClass(), children);
        } else if (value instanceof List<?> list) {
            List<Node> elements = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                elements.add(nodeOf(list.get(i), path + "[" + i + "]"));
            }
            return new ListNode(elements);
        }
        throw notATensorRecord(value, path);
    }

    private static Node nodeOf(Class<?> type, String path) {
        if (Tensor.class.isAssignableFrom(type)) {
            return Leaf.INSTANCE;
        }
        if (type.isRecord()) {
            RecordShape shape = SHAPES.get(type);
            List<Node> children = new ArrayList<>(shape.accessors.length);
            for (int i = 0; i < shape.accessors.length; i++) {
                children.add(
                        nodeOf(shape.accessors[i].getReturnType(), path + "." + shape.names[i]));
            }
            return new RecordNode(type, children);
        }
        throw new IllegalArgumentException(
                path
                        + " is declared as "
                        + type.getName()
                        + ", which does not fix a layout;"
                        + " only Tensor and records of tensors do (use TensorRecords.layout(value) for lists and interfaces)");
    }

    private static IllegalArgumentException notATensorRecord(Object value, String path) {
        return new IllegalArgumentException(
                path
                        + (value == null ? " is null" : " is a " + value.getClass().getName())
                        + "; a tensor record holds only Tensors, records of them, and lists of them");
    }

    /**
     * The structure of a tensor record: which record classes, in which nesting, with which list
     * lengths. Two values with equal layouts flatten to the same number of tensors with the same
     * meaning at every position. Layouts are immutable and compare by structure.
     *
     * @param <T> the type of the values it describes
     */
    public static final class Layout<T> {
        private final Node root;
        private final int size;

        private Layout(Node root) {
            this.root = root;
            this.size = root.size();
        }

        /** How many tensors a value of this layout flattens to. */
        public int size() {
            return size;
        }

        /**
         * The tensors of {@code value}, depth-first in declaration order.
         *
         * @throws IllegalArgumentException if {@code value} has another layout
         */
        public List<Tensor> flatten(T value) {
            Layout<T> actual = layout(value);
            if (!equals(actual)) {
                throw new IllegalArgumentException(
                        "a value laid out as "
                                + actual
                                + " was given where "
                                + this
                                + " was expected");
            }
            return TensorRecords.flatten(value);
        }

        /**
         * Rebuilds a value from {@code tensors} (as {@link #flatten} gave them, or their symbolic
         * counterparts inside a step function), through the records' canonical constructors.
         *
         * @throws IllegalArgumentException if the number of tensors is not {@link #size()}
         */
        @SuppressWarnings(
                "unchecked") // the root node rebuilds the record class (or list) that T was taken
        // from
        public T unflatten(List<Tensor> tensors) {
            if (tensors.size() != size) {
                throw new IllegalArgumentException(
                        this + " takes " + size + " tensors; " + tensors.size() + " were given");
            }
            int[] next = {0};
            return (T) root.build(tensors, next);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Layout<?> other && root.equals(other.root);
        }

        @Override
        public int hashCode() {
            return root.hashCode();
        }

        /**
         * The structure, e.g. {@code TrainingBatch(ClassifierBatch(EncoderInputs(T, T, T), T), T)}.
         */
        @Override
        public String toString() {
            return root.toString();
        }
    }

    /** One level of a layout. */
    private sealed interface Node permits Leaf, RecordNode, ListNode {
        int size();

        Object build(List<Tensor> tensors, int[] next);
    }

    private static final class Leaf implements Node {
        static final Leaf INSTANCE = new Leaf();

        @Override
        public int size() {
            return 1;
        }

        @Override
        public Object build(List<Tensor> tensors, int[] next) {
            return tensors.get(next[0]++);
        }

        @Override
        public String toString() {
            return "T";
        }
    }

    private record RecordNode(Class<?> type, List<Node> children) implements Node {
        @Override
        public int size() {
            return children.stream().mapToInt(Node::size).sum();
        }

        @Override
        public Object build(List<Tensor> tensors, int[] next) {
            Object[] args = new Object[children.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = children.get(i).build(tensors, next);
            }
            return SHAPES.get(type).construct(args);
        }

        @Override
        public String toString() {
            return type.getSimpleName()
                    + children.stream()
                            .map(Object::toString)
                            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
        }
    }

    private record ListNode(List<Node> elements) implements Node {
        @Override
        public int size() {
            return elements.stream().mapToInt(Node::size).sum();
        }

        @Override
        public Object build(List<Tensor> tensors, int[] next) {
            List<Object> out = new ArrayList<>(elements.size());
            for (Node e : elements) {
                out.add(e.build(tensors, next));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public String toString() {
            return elements.stream()
                    .map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
    }

    /** The reflective handles of one record class. */
    private static final class RecordShape {
        final Class<?> type;
        final String[] names;
        final Method[] accessors;
        final Constructor<?> constructor;

        private RecordShape(
                Class<?> type, String[] names, Method[] accessors, Constructor<?> constructor) {
            this.type = type;
            this.names = names;
            this.accessors = accessors;
            this.constructor = constructor;
        }

        static RecordShape of(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                throw new IllegalArgumentException(type.getName() + " is not a record");
            }
            String[] names = new String[components.length];
            Method[] accessors = new Method[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                accessors[i] = components[i].getAccessor();
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                // Records nested privately in a caller (a test's inputs) are fine: reflection, not
                // access rules, reads them.
                constructor.setAccessible(true);
                for (Method m : accessors) {
                    m.setAccessible(true);
                }
                return new RecordShape(type, names, accessors, constructor);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(
                        type.getName() + " has no canonical constructor", e);
            } catch (InaccessibleObjectException e) {
                throw new IllegalArgumentException(
                        type.getName()
                                + " is not accessible to "
                                + TensorRecords.class.getName()
                                + "; open its package to this module",
                        e);
            }
        }

        Object read(Record r, int component) {
            try {
                return accessors[component].invoke(r);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            }
        }

        Object construct(Object[] args) {
            try {
                return constructor.newInstance(args);
            } catch (InstantiationException | IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            }
        }

        private RuntimeException rethrow(InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(type.getName() + ": " + cause, cause);
        }
    }
}
