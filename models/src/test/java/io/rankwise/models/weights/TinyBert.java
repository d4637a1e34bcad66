package io.rankwise.models.weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random weights of a tiny BERT, in Hugging Face names and [out, in] layout, for tests. */
final class TinyBert {
    static final BertConfig CONFIG = new BertConfig(11, 4, 2, 2, 8, 6, 2, 1e-12, "gelu");

    private TinyBert() {}

    static Map<String, NamedArray> tensors(boolean withPooler, long seed) {
        Random random = new Random(seed);
        Map<String, NamedArray> out = new LinkedHashMap<>();
        BertNames.expectedShapes(CONFIG, withPooler)
                .forEach(
                        (name, shape) -> {
                            float[] data = new float[(int) NamedArray.elementCount(shape)];
                            for (int i = 0; i < data.length; i++) {
                                // Multiples of 1/64 are exact in float16 and bfloat16 as well.
                                data[i] = (random.nextInt(129) - 64) / 64f;
                            }
                            out.put(name, new NamedArray(name, shape, data));
                        });
        return out;
    }

    static BertWeights weights(boolean withPooler, long seed) {
        return BertWeights.of(CONFIG, tensors(withPooler, seed));
    }
}
