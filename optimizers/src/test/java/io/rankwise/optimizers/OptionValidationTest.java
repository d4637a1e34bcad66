package io.rankwise.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options are refused before training, naming the option, the value and what is accepted. */
class OptionValidationTest {

    private static String ivonError(String key, String value) {
        Map<String, String> options = new HashMap<>(Map.of("ess", "100"));
        options.put(key, value);
        return assertThrows(
                        IllegalArgumentException.class, () -> new IvonProvider().create(options))
                .getMessage();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "lr|-0.1|ivon: option 'lr' is -0.1; accepted: a number >= 0",
                "ess|0|ivon: option 'ess' is 0; accepted: a number > 0",
                "ess|-5|ivon: option 'ess' is -5; accepted: a number > 0",
                "hess_init|0|ivon: option 'hess_init' is 0; accepted: a number > 0",
                "beta1|1.5|ivon: option 'beta1' is 1.5; accepted: a number in [0, 1]",
                "beta2|-0.1|ivon: option 'beta2' is -0.1; accepted: a number in [0, 1]",
                "mc_samples|0|ivon: option 'mc_samples' is 0; accepted: an integer >= 1",
                "mc_samples|1.5|ivon: option 'mc_samples' is 1.5; accepted: an integer >= 1",
                "hess_approx|fisher|ivon: option 'hess_approx' is fisher; accepted: one of price, gradsq",
                "clip_radius|0|ivon: option 'clip_radius' is 0; accepted: a number in (0, inf]",
                "debias|maybe|ivon: option 'debias' is maybe; accepted: true or false",
                "lr|fast|ivon: option 'lr' is fast; accepted: a number >= 0",
                "lr|inf|ivon: option 'lr' is inf; accepted: a number >= 0",
                "seed|0x10|ivon: option 'seed' is 0x10; accepted: an integer",
            })
    void ivonRefusesBadValues(String key, String value, String message) {
        assertEquals(message, ivonError(key, value));
    }

    @org.junit.jupiter.api.Test
    void unknownOptionListsTheKnownOnes() {
        String message = ivonError("learning_rate", "0.1");
        assertEquals(
                "ivon: unknown option 'learning_rate'; known options: lr, ess, hess_init, beta1, beta2, weight_decay, "
                        + "mc_samples, hess_approx, clip_radius, debias, rescale_lr, noise, seed",
                message);
    }

    @org.junit.jupiter.api.Test
    void essIsRequired() {
        String message =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new IvonProvider().create(Map.of()))
                        .getMessage();
        assertEquals(
                "ivon: option 'ess' is required (effective sample size λ, usually the training-set size); accepted: a number"
                        + " > 0",
                message);
    }

    @org.junit.jupiter.api.Test
    void adamRefusesBadValues() {
        assertEquals(
                "adam: option 'beta1' is 1; accepted: a number in [0, 1)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new AdamProvider().create(Map.of("beta1", "1")))
                        .getMessage());
        assertEquals(
                "adam: option 'lr' is -1; accepted: a number >= 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new AdamProvider().create(Map.of("lr", "-1")))
                        .getMessage());
    }

    @org.junit.jupiter.api.Test
    void settingsRefuseBadValuesWhenBuiltInCode() {
        assertEquals(
                "ivon: option 'ess' is 0.0; accepted: a number > 0",
                assertThrows(IllegalArgumentException.class, () -> IvonSettings.defaults(0.1, 0))
                        .getMessage());
    }
}
