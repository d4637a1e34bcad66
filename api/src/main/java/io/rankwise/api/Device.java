package io.rankwise.api;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a backend computes: {@code cpu}, {@code gpu} (the first GPU), {@code gpu:N}, or {@code
 * auto} (a GPU when the backend finds one, else the CPU).
 */
public final class Device implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The kind of device. */
    public enum Kind {
        CPU,
        GPU,
        AUTO
    }

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    /** The CPU. */
    public static Device cpu() {
        return new Device(Kind.CPU, 0);
    }

    /** GPU number {@code index}. */
    public static Device gpu(int index) {
        if (index < 0) {
            throw new IllegalArgumentException(
                    "device gpu:" + index + ": the GPU index must be >= 0");
        }
        return new Device(Kind.GPU, index);
    }

    /** Let the backend choose: a GPU when one is present, else the CPU. */
    public static Device auto() {
        return new Device(Kind.AUTO, 0);
    }

    /**
     * Parses {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}.
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static Device parse(String text) {
        String s = Objects.requireNonNull(text, "device").trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return cpu();
        }
        if (s.equals("auto")) {
            return auto();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return gpu(0);
        }
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            String n = s.substring(s.indexOf(':') + 1);
            try {
                return gpu(Integer.parseInt(n));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                "device '" + text + "' is not known; accepted: cpu, gpu, gpu:N (N >= 0), auto");
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** The GPU index (0 for cpu and auto). */
    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).kind == kind && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        switch (kind) {
            case CPU:
                return "cpu";
            case AUTO:
                return "auto";
            default:
                return "gpu:" + index;
        }
    }
}
