package io.rankwise.cli.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code train --resume} compares the configuration it is given with the one the run started with:
 * a learning rate written {@code 10} on the command line is the {@code 10.0} of the run's
 * config.yaml, not a change.
 */
class ResumeConfigurationTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void numbersCompareByValueWhateverTheirYamlType() {
        assertTrue(TrainCommand.sameValue(JSON.numberNode(10.0), JSON.numberNode(10)));
        assertTrue(TrainCommand.sameValue(JSON.numberNode(10L), JSON.numberNode(10.0f)));
        assertTrue(TrainCommand.sameValue(JSON.numberNode(4e-3), JSON.numberNode(0.004)));
        assertFalse(TrainCommand.sameValue(JSON.numberNode(10.0), JSON.numberNode(11)));
        assertFalse(TrainCommand.sameValue(JSON.numberNode(10.0), JSON.numberNode(10.000001)));
    }

    @Test
    void otherValuesCompareAsTheyAre() {
        assertFalse(TrainCommand.sameValue(JSON.textNode("10"), JSON.numberNode(10)));
        assertTrue(TrainCommand.sameValue(JSON.textNode("ivon"), JSON.textNode("ivon")));
        assertFalse(TrainCommand.sameValue(null, JSON.numberNode(1)));
        assertTrue(TrainCommand.sameValue(null, null));
    }
}
