package com.example.rankwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example as a user would (its main, a short run) and reads what it printed and wrote. */
class FineTuneDemoTest {

    @TempDir Path tmp;

    @Test
    void fineTunesAndLeavesARunFolder() throws Exception {
        Path runDir = tmp.resolve("run");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FineTuneDemo.main(new String[] {runDir.toString(), "16"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);

        assertTrue(out.contains("step 16/16"), out);
        Matcher dev =
                Pattern.compile("dev \\{accuracy=([0-9.]+).*; (\\d+) triplets kept").matcher(out);
        assertTrue(dev.find(), out);
        // 36 adapted matrices x target_r 4 = 144 triplets survive the budget (of 36 x 6 = 216).
        assertEquals(144, Integer.parseInt(dev.group(2)), out);
        // Spam is a third of the dev split: a run that learned nothing scores about 0.66.
        assertTrue(Double.parseDouble(dev.group(1)) > 0.75, "dev accuracy " + dev.group(1));
        for (String written :
                new String[] {
                    "checkpoint/state.bin",
                    "rank_pattern.json",
                    "adapter/adapter_config.json",
                    "adapter/adapter_model.safetensors"
                }) {
            assertTrue(Files.isRegularFile(runDir.resolve(written)), written);
        }
    }
}
