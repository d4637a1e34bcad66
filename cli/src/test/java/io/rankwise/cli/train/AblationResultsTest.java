package io.rankwise.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankwise.cli.config.AblationCell;
import io.rankwise.cli.config.AblationPair;
import io.rankwise.cli.config.ConfigLoader;
import io.rankwise.cli.config.RankwiseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation table: mean ± sample standard deviation over seeds, by hand. */
class AblationResultsTest {

    @TempDir
    Path dir;

    private static RunResult result(double accuracy, double seconds, double peak) {
        return new RunResult(10, 0.1, new Evaluation("dev", Map.of("accuracy", accuracy)), Map.of(), seconds, peak, List.of());
    }

    @Test
    void meanAndSampleStdOverSeeds() throws Exception {
        RankwiseConfig c = ConfigLoader.defaultTrain(List.of());
        AblationPair ivonSnr = new AblationPair("ivon", "snr", Map.of(), Map.of());
        AblationPair adam = new AblationPair("adam", "sensitivity", Map.of(), Map.of());
        AblationResults results = new AblationResults();
        // accuracies 0.80, 0.90: mean 0.85, std sqrt(((0.05)^2 + (0.05)^2) / 1) = 0.0707
        results.add(new AblationCell("djl", ivonSnr, 1, "spam-assassin", c), result(0.80, 0.5, 1000));
        results.add(new AblationCell("djl", ivonSnr, 2, "spam-assassin", c), result(0.90, 0.7, 1200));
        results.add(new AblationCell("djl", adam, 1, "spam-assassin", c), result(0.75, 0.6, 900));
        String md = results.write(dir);
        assertEquals("""
                | task | backend | optimizer + metric | seeds | accuracy | s/step | peak MiB |
                | --- | --- | --- | --- | --- | --- | --- |
                | spam-assassin | djl | ivon+snr | 2 | 0.8500 ± 0.0707 | 0.600 ± 0.141 | 1200 |
                | spam-assassin | djl | adam+sensitivity | 1 | 0.7500 | 0.600 | 900 |
                """, md);
        assertEquals("""
                task,backend,configuration,seeds,accuracy_mean,accuracy_std,seconds_per_step_mean,seconds_per_step_std,peak_mib_max
                spam-assassin,djl,ivon+snr,2,0.850000,0.070711,0.600000,0.141421,1200
                spam-assassin,djl,adam+sensitivity,1,0.750000,,0.600000,,900
                """, Files.readString(dir.resolve("ablation.csv")));
    }
}
