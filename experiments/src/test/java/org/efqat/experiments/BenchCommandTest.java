package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efqat bench} end to end on a small CNN, both backends, and its input checks. */
class BenchCommandTest {
  @TempDir Path dir;

  private CliResult bench(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "--output=" + dir;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliResult.run(all);
  }

  @Test
  void measuresEveryBackendAndFractionSideBySide() throws Exception {
    System.setProperty("java.awt.headless", "true");
    CliResult r = bench("--model=cnn", "--width=4", "--batch=8", "--image=16", "--p=0.5,0",
        "--backends=nd4j,tf", "--warmup=1", "--steps=2", "--rounds=1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("efqat bench: cnn (width 4), batch 8, 3x16x16, W8A8")
        .contains("backward ms").contains("kernels").contains("features.0.conv");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bench-cnn/bench.json").toFile());
    JsonNode results = json.get("results");
    assertThat(results).hasSize(6); // 2 backends x (1 added as the baseline, 0.5, 0)
    for (JsonNode n : results) {
      double p = n.get("p").asDouble();
      assertThat(n.get("stepMs").get("n").asInt()).isEqualTo(2);
      assertThat(n.get("stepMs").get("median").asDouble()).isPositive();
      assertThat(n.get("layers").has("features.1.conv")).isTrue();
      if (p == 1.0) {
        assertThat(n.get("backwardSpeedup").asDouble()).isEqualTo(1.0);
        assertThat(n.get("unfrozenFraction").asDouble()).isEqualTo(1.0);
      }
      if (p == 0.0) {
        assertThat(n.get("unfrozenFraction").asDouble()).isZero();
        // no rows: the weight gradient returns at once (a few microseconds in all)
        assertThat(n.get("weightGradientMs").get("median").asDouble()).isLessThan(0.05);
      }
      assertThat(n.get("idealBackwardSpeedup").asDouble()).isEqualTo(2 / (1 + p));
    }
    assertThat(Files.readString(dir.resolve("bench-cnn/bench.md"))).contains("dW p=0.5");
    var png = ImageIO.read(dir.resolve("bench-cnn/speedup.png").toFile());
    assertThat(png.getWidth()).isPositive();
  }

  @Test
  void rejectsFractionsOutsideTheUnitIntervalAndUnknownBackends() {
    CliResult p = bench("--p=1.5");
    assertThat(p.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(p.err()).contains("--p values must be in [0, 1]");
    CliResult b = bench("--model=cnn", "--backends=nope", "--steps=1", "--warmup=0");
    assertThat(b.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(b.err()).contains("'nope' is not a registered backend");
  }
}
