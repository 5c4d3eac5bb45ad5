package dev.wmpc.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBenchmarkTest {
    @TempDir Path dir;

    @Test void benchmarkRunsAndReportsPositiveRates() throws Exception {
        var r = DatasetBenchmark.run(dir, 64, 60, 50, 8, 2);
        System.out.println("dataset bench: " + r);
        assertThat(r.framesWritten()).isEqualTo(3000);
        assertThat(r.writeFramesPerSecond()).isPositive();
        assertThat(r.sampleFramesPerSecond()).isPositive();
        assertThat(r.datasetBytes()).isPositive();
    }
}
