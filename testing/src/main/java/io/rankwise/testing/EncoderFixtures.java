package io.rankwise.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small random-weight checkpoints in Hugging Face's folder layout, one per encoder family, with
 * reference outputs of their {@code *ForSequenceClassification} models: {@code bert}, {@code
 * roberta}, {@code deberta-v2} (DeBERTa-v3-base's configuration) and {@code deberta-v2-c2p}. They
 * were made by {@code testing/src/main/python/make_encoder_fixtures.py}, an independent PyTorch
 * re-implementation of transformers' modeling code; the README beside them describes {@code
 * reference.json}.
 *
 * <p>The folders are class-path resources, which may sit in a jar; {@link #folder} copies one into
 * a temporary folder once per JVM, so that code under test reads it as a user's checkpoint folder.
 */
public final class EncoderFixtures {
    /** Every fixture. */
    public static final List<String> ALL =
            List.of("bert", "roberta", "deberta-v2", "deberta-v2-c2p");

    private static final List<String> FILES =
            List.of("config.json", "model.safetensors", "tokenizer.json", "reference.json");

    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

    private EncoderFixtures() {}

    /** The checkpoint folder of fixture {@code name} (config.json, model.safetensors, ...). */
    public static Path folder(String name) {
        if (!ALL.contains(name)) {
            throw new IllegalArgumentException("no encoder fixture " + name + "; there are " + ALL);
        }
        return COPIES.computeIfAbsent(name, EncoderFixtures::copy);
    }

    private static Path copy(String name) {
        try {
            Path dir = Files.createTempDirectory("rankwise-fixture-" + name + "-");
            dir.toFile().deleteOnExit();
            for (String file : FILES) {
                try (InputStream in =
                        EncoderFixtures.class.getResourceAsStream(
                                "encoders/" + name + "/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "the fixture " + name + " lacks " + file + " on the class path");
                    }
                    Path to = dir.resolve(file);
                    Files.copy(in, to);
                    to.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
