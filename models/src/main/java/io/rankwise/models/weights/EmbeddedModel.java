package io.rankwise.models.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A pretrained model available as local files: its ONNX graph, its tokenizer.json, and its
 * architecture.
 *
 * @param name a short identifier, e.g. {@code all-minilm-l6-v2}
 * @param onnxFile the ONNX model (also usable by ONNX Runtime)
 * @param tokenizerJson the Hugging Face tokenizer.json
 * @param config the architecture
 */
public record EmbeddedModel(String name, Path onnxFile, Path tokenizerJson, BertConfig config) {

    /** Reads the encoder weights from the ONNX file (about 90 MB of float32 for MiniLM). */
    public BertWeights loadWeights() throws IOException {
        return OnnxWeightReader.readBert(onnxFile, config.numAttentionHeads());
    }
}
