package io.rankwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user meets it: listings and refusals of bad input. */
class MainTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    @Test
    void pluginsListsEveryKindWithNeedsAndRequiredOptions() {
        String[] r = run("plugins");
        assertEquals("0", r[0], r[2]);
        for (String expected : new String[] {"djl ", "tensorflow ", "ivon ", "adam ", "sensitivity ", "snr ", "magnitude ",
                "variance ", "snr-abs ", "mean-abs ", "adalora ", "lora ", "needs: posterior", "offers: gradients, posterior",
                "default (required)"}) {
            assertTrue(r[1].contains(expected), "missing '" + expected + "' in:\n" + r[1]);
        }
    }

    @Test
    void helpListsEveryCommand() {
        String[] r = run("--help");
        assertEquals("0", r[0], r[2]);
        for (String command : new String[] {"train", "ablate", "evaluate", "export", "smoke", "plugins"}) {
            assertTrue(r[1].contains("\n  " + command + " "), "missing " + command + " in:\n" + r[1]);
        }
    }

    @Test
    void badValuesExitWithTwoNamingTheValueAndWhatIsAccepted() {
        String[] device = run("smoke", "--device", "tpu");
        assertEquals("2", device[0]);
        assertEquals("rankwise: device 'tpu' is not known; accepted: cpu, gpu, gpu:N (N >= 0), auto", device[2].trim());
        String[] dtype = run("smoke", "--dtype", "int8");
        assertEquals("2", dtype[0]);
        assertEquals("rankwise: dtype 'int8' is not known; accepted: float32, float64, int32, int64, bool", dtype[2].trim());
        String[] steps = run("smoke", "--steps", "0");
        assertEquals("2", steps[0]);
        assertEquals("rankwise: --steps is 0; it must be >= 1", steps[2].trim());
    }
}
