package io.rankwise.api.grid;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the executor grants one attempt at one cell.
 *
 * @param host the host the attempt runs on
 * @param cpus the CPU cores the attempt may use, which the engine's threads are set from; 0 when
 *     the executor sets no limit (the engine's own defaults then apply)
 * @param device the accelerator the executor assigned to the attempt, as a device text such as
 *     {@code gpu:1}; empty when it assigned none (the cell's own configuration then decides)
 * @param attempt 0 for the first attempt at this cell, then 1, 2, ... for retries
 */
public record CellContext(String host, int cpus, Optional<String> device, int attempt) {

    private static volatile String localHost;

    /**
     * The name this machine goes by: in a cell's context, and wherever a process says where it runs
     * (a run folder's lock). The resolved host name, else {@code $HOSTNAME}, else {@code
     * localhost}; looked up once per process.
     */
    public static String localHost() {
        String h = localHost;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
            }
            localHost = h;
        }
        return h;
    }

    /** Requires a host, a non-negative number of cores and a non-negative attempt. */
    public CellContext {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(device, "device");
        if (cpus < 0) {
            throw new IllegalArgumentException(
                    "cpus is " + cpus + "; accepted: 0 (no limit) or more");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt is " + attempt + "; accepted: at least 0");
        }
    }
}
