package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.sweep.Sweep;
import org.efqat.core.sweep.SweepPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every experiment file shipped under experiments/ (its sub-folders too, results and build output
 * aside) parses and validates without training; a sweep file has every point validated.
 */
class ExperimentFilesTest {
  static List<Path> experimentFiles() throws IOException {
    try (Stream<Path> s = Files.walk(Path.of("."), 2)) {
      List<Path> files =
          s.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.startsWith("./target") && !p.startsWith("./results"))
              .filter(p -> !p.startsWith("./src"))
              .sorted()
              .toList();
      assertThat(files).isNotEmpty();
      return files;
    }
  }

  @ParameterizedTest
  @MethodSource("experimentFiles")
  void validates(Path file) throws Exception {
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ExperimentLoader loader = new ExperimentLoader(registry);
    if (loader.isSweep(file)) {
      Sweep sweep = SweepPlan.expand(loader.loadSweep(file), loader, registry);
      assertThat(sweep.points()).isNotEmpty();
      assertThat(sweep.base().backend().provider().name()).isIn("nd4j", "tf");
      return;
    }
    ResolvedExperiment e = loader.load(file);
    assertThat(e.config().name()).isNotBlank();
    assertThat(e.backend().provider().name()).isIn("nd4j", "tf");
  }
}
