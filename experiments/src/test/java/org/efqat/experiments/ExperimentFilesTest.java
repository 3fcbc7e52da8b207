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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every experiment file shipped in experiments/ parses and validates (without training). */
class ExperimentFilesTest {
  static List<Path> experimentFiles() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("."))) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(files).isNotEmpty();
      return files;
    }
  }

  @ParameterizedTest
  @MethodSource("experimentFiles")
  void validates(Path file) throws Exception {
    ResolvedExperiment e = new ExperimentLoader(ComponentRegistry.loadDefault()).load(file);
    assertThat(e.config().name()).isNotBlank();
    assertThat(e.backend().provider().name()).isIn("nd4j", "tf");
  }
}
