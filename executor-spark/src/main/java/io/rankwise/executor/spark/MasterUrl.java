package io.rankwise.executor.spark;

import io.rankwise.api.grid.GridException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Rankwise does with a master URL before Spark sees it: a local master gets the retry count
 * (Spark retries a failed task in local mode only when the URL says {@code local[N,F]}), and a
 * standalone master is tried with a plain TCP connection, so that a wrong host or port fails in
 * seconds instead of after Spark's three registration attempts of 20 s each.
 */
final class MasterUrl {
    /** The forms Spark accepts, for messages. */
    static final String ACCEPTED =
            "local, local[N], local[*], local[N,F], spark://host:port[,host:port...], yarn,"
                    + " k8s://https://host:port";

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");

    private MasterUrl() {}

    /**
     * Refuses a URL of none of the forms Spark accepts, before Spark starts.
     *
     * @throws IllegalArgumentException naming the URL and the accepted forms
     */
    static void checkForm(String master) {
        boolean known =
                LOCAL.matcher(master).matches()
                        || master.startsWith("local-cluster[")
                        || master.startsWith("spark://")
                        || master.equals("yarn")
                        || master.startsWith("k8s://");
        if (!known) {
            throw new IllegalArgumentException(
                    "spark master '"
                            + master
                            + "' is not a master URL Spark accepts; accepted: "
                            + ACCEPTED);
        }
    }

    /** Whether the driver runs the cells itself (embedded Spark). */
    static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /**
     * {@code master} with {@code maxFailures} attempts per task where the URL carries it: {@code
     * local[N]} becomes {@code local[N,maxFailures]}; other URLs are returned as they are ({@code
     * spark.task.maxFailures} applies there).
     */
    static String withRetries(String master, int maxFailures) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches() || m.group(2) != null) {
            return master;
        }
        String threads = m.group(1) == null ? "1" : m.group(1);
        return "local[" + threads + "," + maxFailures + "]";
    }

    /**
     * For a {@code spark://} URL, connects to each of its addresses; returns when one accepts.
     *
     * @throws IllegalArgumentException naming the URL when an address is not host:port
     * @throws GridException naming the URL and every address tried, with what each answered
     */
    static void checkReachable(String master, int timeoutSeconds) {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> tried = new ArrayList<>();
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(address.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(
                        "spark master '"
                                + master
                                + "': '"
                                + address
                                + "' is not host:port; accepted: "
                                + ACCEPTED);
            }
            String host = address.substring(0, colon);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), timeoutSeconds * 1000);
                return;
            } catch (IOException e) {
                tried.add(
                        address
                                + " ("
                                + e.getClass().getSimpleName()
                                + ": "
                                + e.getMessage()
                                + ")");
            }
        }
        throw new GridException(
                "cannot reach the Spark master "
                        + master
                        + ": tried "
                        + String.join(", ", tried)
                        + " with a "
                        + timeoutSeconds
                        + " s connect timeout; is the master running (start-master.sh), and is the URL the one its log prints?");
    }
}
