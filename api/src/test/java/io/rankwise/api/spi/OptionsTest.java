package io.rankwise.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One declaration per option: parsing, typed values, the range's wording in errors, defaults. */
class OptionsTest {
    private static final Option<Double> LR = Option.number("lr", 1e-3, "learning rate").atLeast(0);
    private static final Option<Double> BETA =
            Option.number("beta", 0.9, "decay").atLeast(0).below(1);
    private static final Option<Double> CLIP =
            Option.number("clip", "clip radius")
                    .above(0)
                    .atMost(Double.POSITIVE_INFINITY)
                    .withDefault(Double.POSITIVE_INFINITY);
    private static final Option<Double> ESS =
            Option.number("ess", "effective sample size").above(0);
    private static final Option<Integer> SAMPLES =
            Option.integer("samples", 1, "draws per step").atLeast(1);
    private static final Option<Long> SEED = Option.longInteger("seed", 0, "seed");
    private static final Option<Boolean> DEBIAS =
            Option.bool("debias", true, "debias the momentum");
    private static final Option<String> HESS =
            Option.choice("hess", "price", List.of("price", "gradsq"), "estimator");
    private static final Option<Integer> THREADS =
            Option.integer("threads", "threads").atLeast(1).optional("engine default");
    private static final List<Option<?>> ALL =
            List.of(LR, BETA, CLIP, ESS, SAMPLES, SEED, DEBIAS, HESS, THREADS);

    private static Options parse(Map<String, ?> given) {
        return Options.parse("toy", ALL, given);
    }

    private static String error(String key, Object value) {
        return assertThrows(
                        IllegalArgumentException.class, () -> parse(Map.of("ess", 100, key, value)))
                .getMessage();
    }

    @Test
    void acceptedIsWrittenFromTheRange() {
        assertEquals("a number >= 0", LR.accepted());
        assertEquals("a number in [0, 1)", BETA.accepted());
        assertEquals("a number in (0, inf]", CLIP.accepted());
        assertEquals("a number > 0", ESS.accepted());
        assertEquals("an integer >= 1", SAMPLES.accepted());
        assertEquals("an integer", SEED.accepted());
        assertEquals("true or false", DEBIAS.accepted());
        assertEquals("one of price, gradsq", HESS.accepted());
        assertEquals(
                "an integer in [1, 8]",
                Option.integer("r", 4, "rank").atLeast(1).atMost(8).accepted());
        assertEquals("a number < 0.5", Option.number("x", 0, "x").below(0.5).accepted());
        assertEquals("a number", Option.number("x", 0, "x").accepted());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "lr|-0.1|toy: option 'lr' is -0.1; accepted: a number >= 0",
                "lr|fast|toy: option 'lr' is fast; accepted: a number >= 0",
                "lr|inf|toy: option 'lr' is inf; accepted: a number >= 0",
                "lr|NaN|toy: option 'lr' is NaN; accepted: a number >= 0",
                "lr|1f|toy: option 'lr' is 1f; accepted: a number >= 0",
                "beta|1|toy: option 'beta' is 1; accepted: a number in [0, 1)",
                "clip|0|toy: option 'clip' is 0; accepted: a number in (0, inf]",
                "samples|0|toy: option 'samples' is 0; accepted: an integer >= 1",
                "samples|2.5|toy: option 'samples' is 2.5; accepted: an integer >= 1",
                "samples|3000000000|toy: option 'samples' is 3000000000; accepted: an integer >= 1",
                "seed|1e3|toy: option 'seed' is 1e3; accepted: an integer",
                "debias|yes|toy: option 'debias' is yes; accepted: true or false",
                "hess|fisher|toy: option 'hess' is fisher; accepted: one of price, gradsq",
                "threads|0|toy: option 'threads' is 0; accepted: an integer >= 1",
            })
    void aBadValueIsRefusedNamingPluginOptionValueAndWhatIsAccepted(
            String key, String value, String message) {
        assertEquals(message, error(key, value));
    }

    @Test
    void typedValuesAreRefusedLikeText() {
        assertEquals(
                "toy: option 'samples' is 2.0; accepted: an integer >= 1", error("samples", 2.0));
        assertEquals("toy: option 'lr' is -1; accepted: a number >= 0", error("lr", -1L));
        assertEquals("toy: option 'lr' is true; accepted: a number >= 0", error("lr", true));
        assertEquals("toy: option 'debias' is 1; accepted: true or false", error("debias", 1));
    }

    @Test
    void valuesTakeTheDeclaredTypeHoweverTheyAreWritten() {
        for (Object ten : List.of(10, 10L, 10.0, "10", "10.0", " 1e1 ", "+10")) {
            assertEquals(10.0, LR.parse("toy", ten), String.valueOf(ten));
        }
        assertEquals(Double.POSITIVE_INFINITY, CLIP.parse("toy", "inf"));
        assertEquals(Double.POSITIVE_INFINITY, CLIP.parse("toy", ".inf"));
        assertEquals(Double.POSITIVE_INFINITY, CLIP.parse("toy", "Infinity"));
        assertEquals(Double.POSITIVE_INFINITY, CLIP.parse("toy", Double.POSITIVE_INFINITY));
        assertEquals(3, SAMPLES.parse("toy", "3"));
        assertEquals(3, SAMPLES.parse("toy", 3L));
        assertEquals(42L, SEED.parse("toy", "0042"));
        assertEquals(-7L, SEED.parse("toy", -7));
        assertEquals(false, DEBIAS.parse("toy", "FALSE"));
        assertEquals(true, DEBIAS.parse("toy", true));
        assertEquals("gradsq", HESS.parse("toy", "GradSq"));
    }

    @Test
    void optionsWrittenDifferentlyButMeaningTheSameAreEqual() {
        Options typed =
                parse(
                        Map.of(
                                "lr", 10.0, "ess", 512, "samples", 2, "debias", false, "hess",
                                "gradsq"));
        Options text =
                parse(
                        Map.of(
                                "lr", "10", "ess", "512.0", "samples", "2", "debias", "False",
                                "hess", "GRADSQ"));
        assertEquals(typed, text);
        assertEquals(typed.hashCode(), text.hashCode());
        assertEquals(typed.values(), text.values());
        assertNotEquals(typed, parse(Map.of("lr", 10.0, "ess", 512)));
        // The canonical values parse back to equal options.
        assertEquals(typed, parse(typed.values()));
    }

    @Test
    void defaultsFillTheRestAndAreReadTyped() {
        Options o = parse(Map.of("ess", 100));
        assertEquals(1e-3, o.get(LR));
        assertEquals(100.0, o.get(ESS));
        assertEquals(Double.POSITIVE_INFINITY, o.get(CLIP));
        assertEquals(1, o.get(SAMPLES));
        assertEquals(0L, o.get(SEED));
        assertEquals(true, o.get(DEBIAS));
        assertEquals("price", o.get(HESS));
        assertEquals(Optional.empty(), o.find(THREADS));
        assertEquals(
                List.of("lr", "beta", "clip", "ess", "samples", "seed", "debias", "hess"),
                List.copyOf(o.values().keySet()));
        assertThrows(IllegalStateException.class, () -> o.get(THREADS));
        assertThrows(
                IllegalStateException.class, () -> o.get(Option.number("lr", 0.5, "another lr")));
    }

    @Test
    void unknownAndMissingOptions() {
        assertEquals(
                "toy: unknown option 'rate'; known options: lr, beta, clip, ess, samples, seed, debias, hess, threads",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> parse(Map.of("ess", 1, "rate", 1)))
                        .getMessage());
        assertEquals(
                "toy: unknown options 'a', 'b'; known options: lr",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Options.parse(
                                                "toy",
                                                List.of(LR),
                                                new java.util.TreeMap<>(Map.of("b", 1, "a", 2))))
                        .getMessage());
        assertEquals(
                "none: unknown option 'x'; none takes no options",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Options.parse("none", List.of(), Map.of("x", 1)))
                        .getMessage());
        assertEquals(
                "toy: option 'ess' is required (effective sample size); accepted: a number > 0",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of())).getMessage());
    }

    @Test
    void declarationsAreChecked() {
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Option.number("x", 0, "x").above(0))
                        .getMessage()
                        .contains("default 0.0 is outside"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Option.number("x", Double.POSITIVE_INFINITY, "x"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Option.choice("x", "Price", List.of("Price"), "x"));
        assertThrows(IllegalArgumentException.class, () -> Option.bool("x", true, "x").atLeast(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> Options.parse("toy", List.of(LR, LR), Map.of()));
        assertEquals("(required)", ESS.defaultText());
        assertEquals("engine default", THREADS.defaultText());
        assertEquals("inf", CLIP.defaultText());
        assertEquals("0.001", LR.defaultText());
    }
}
