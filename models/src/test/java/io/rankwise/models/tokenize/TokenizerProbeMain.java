package io.rankwise.models.tokenize;

import io.rankwise.models.weights.WeightFormatException;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link TokenizerJsonFuzzTest}: loads each tokenizer.json named on the
 * command line and encodes with it as {@link BertTokenizer} does (batch calls, pairs, decoding),
 * printing {@code START i} before and {@code OK i} or {@code REFUSED i message} after. A native
 * panic aborts this JVM, not the test's, and the last START names the file.
 */
public final class TokenizerProbeMain {
    private TokenizerProbeMain() {}

    public static void main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            System.out.println("START " + i);
            System.out.flush();
            try (BertTokenizer t = BertTokenizer.fromFile(Path.of(args[i]), 8)) {
                TokenizedBatch b =
                        t.encode(List.of("Hello, wörld! \u2603 qzxqzx", "", "a ".repeat(40)));
                t.encodePairs(List.of("hello there", "x"), List.of("world", "y ".repeat(30)));
                t.decode(b.inputIds(0));
                t.tokenize("unknownish wörds");
                System.out.println("OK " + i);
            } catch (WeightFormatException e) {
                System.out.println("REFUSED " + i + " " + e.getMessage().replace('\n', ' '));
            } catch (Throwable e) {
                System.out.println("FAILED " + i + " " + e.toString().replace('\n', ' '));
            }
            System.out.flush();
        }
    }
}
