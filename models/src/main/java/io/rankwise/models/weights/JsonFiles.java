package io.rankwise.models.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the JSON files that come with weights (config.json, tokenizer.json, the shard index,
 * adapter_config.json): UTF-8 as JSON requires, at most a given size, and every problem reported as
 * a {@link WeightFormatException} that names the file. (Jackson, given the file, guesses UTF-16 or
 * UTF-32 from the first bytes and reports their decoding errors without the file.)
 */
public final class JsonFiles {
    /** The largest config-like file read: far above any real config.json or index. */
    public static final long MAX_CONFIG_BYTES = 16L * 1024 * 1024;

    private JsonFiles() {}

    /**
     * The JSON value in {@code file}.
     *
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws WeightFormatException naming the file if it is larger than {@code maxBytes}, not
     *     UTF-8, or not JSON
     */
    public static JsonNode read(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new WeightFormatException(
                    file,
                    "file of "
                            + size
                            + " bytes is larger than the "
                            + maxBytes
                            + " such a JSON file may have");
        }
        String text = utf8(file, Files.readAllBytes(file));
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            if (root == null || root.isMissingNode()) {
                throw new WeightFormatException(file, "empty file, not JSON");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new WeightFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String utf8(Path file, byte[] bytes) throws WeightFormatException {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new WeightFormatException(
                    file,
                    "not UTF-8 text (JSON files must be UTF-8): invalid byte 0x"
                            + String.format("%02x", bytes[in.position()] & 0xff)
                            + " at offset "
                            + in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
