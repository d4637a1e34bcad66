package io.rankwise.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the graph of an ONNX model with a minimal protobuf reader: ModelProto.graph (7); GraphProto
 * node (1), name (2), initializer (5), input (11), output (12); NodeProto input (1), output (2),
 * name (3), op_type (4); ValueInfoProto name (1). Everything else is skipped.
 *
 * <p>The file is memory-mapped once, not copied: a 90 MB model costs no heap until its tensors are
 * decoded.
 */
public final class OnnxGraphReader {
    private OnnxGraphReader() {}

    /**
     * Parses the graph of {@code file}.
     *
     * @throws WeightFormatException naming the file if it is not a well-formed ONNX model, is
     *     truncated, or keeps its weights in external data files
     */
    public static OnnxGraph read(Path file) throws IOException {
        ByteBuffer mapped = map(file);
        try {
            ProtoReader model = new ProtoReader(mapped);
            ProtoReader graph = null;
            while (model.hasMore()) {
                int tag = model.readTag();
                if (ProtoReader.fieldNumber(tag) == 7
                        && ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
                    if (graph != null) {
                        throw new ProtoReader.ProtoException(
                                "more than one graph in the ModelProto");
                    }
                    graph = model.readMessage();
                } else {
                    model.skip(ProtoReader.wireType(tag));
                }
            }
            if (graph == null) {
                throw new ProtoReader.ProtoException(
                        "no graph (ModelProto field 7); is this an ONNX model?");
            }
            return readGraph(file, mapped, graph);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new WeightFormatException(file, "malformed ONNX: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new WeightFormatException(file, "empty file, not an ONNX model");
            }
            if (size > Integer.MAX_VALUE) {
                // Protobuf messages cannot exceed 2 GiB; larger models use external data.
                throw new WeightFormatException(
                        file,
                        "file of "
                                + size
                                + " bytes exceeds the 2 GiB protobuf limit; models this large keep external data, which is not supported");
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return buf;
        }
    }

    private static OnnxGraph readGraph(Path file, ByteBuffer mapped, ProtoReader in) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxInitializer> initializers = new LinkedHashMap<>();
        while (in.hasMore()) {
            int tag = in.readTag();
            int wire = ProtoReader.wireType(tag);
            int field = ProtoReader.fieldNumber(tag);
            if (wire != ProtoReader.LENGTH_DELIMITED) {
                in.skip(wire);
                continue;
            }
            switch (field) {
                case 1 -> nodes.add(readNode(in.readMessage()));
                case 2 -> name = in.readString();
                case 5 -> {
                    OnnxInitializer init = OnnxInitializer.parse(in.readMessage());
                    if (initializers.put(init.name, init) != null) {
                        throw new ProtoReader.ProtoException(
                                "two initializers named '" + init.name + "'");
                    }
                }
                case 11 -> inputs.add(readValueInfoName(in.readMessage()));
                case 12 -> outputs.add(readValueInfoName(in.readMessage()));
                default -> in.skip(wire);
            }
        }
        return new OnnxGraph(file, mapped, name, nodes, inputs, outputs, initializers);
    }

    private static OnnxNode readNode(ProtoReader in) {
        String name = "";
        String opType = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (in.hasMore()) {
            int tag = in.readTag();
            int wire = ProtoReader.wireType(tag);
            int field = ProtoReader.fieldNumber(tag);
            if (wire != ProtoReader.LENGTH_DELIMITED || field > 4) {
                in.skip(wire);
                continue;
            }
            switch (field) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                default -> opType = in.readString();
            }
        }
        return new OnnxNode(name, opType, inputs, outputs);
    }

    private static String readValueInfoName(ProtoReader in) {
        String name = "";
        while (in.hasMore()) {
            int tag = in.readTag();
            if (ProtoReader.fieldNumber(tag) == 1
                    && ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
                name = in.readString();
            } else {
                in.skip(ProtoReader.wireType(tag));
            }
        }
        return name;
    }
}
