package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.api.spi.ComponentProvider;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-and-dataset plugin of {@code examples/tiny-model-plugin}, built into a jar of its own
 * against efqat-api and efqat-core, discovered from that jar and run from its experiment file:
 * pretraining, PTQ and EfQAT on the plugin's data with the plugin's network.
 */
class ModelPluginExampleTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "tiny-model-plugin");

  @TempDir static Path work;

  private static Path jar;

  @BeforeAll
  static void buildThePluginJar() throws IOException {
    jar =
        ExamplePluginJar.build(
            EXAMPLE,
            work,
            ComponentProvider.class,
            org.efqat.core.model.ModelProvider.class,
            org.apiguardian.api.API.class);
  }

  @Test
  void theModelAndTheDatasetAreDiscoveredFromTheirJar() throws IOException {
    assertThat(ComponentRegistry.loadDefault().models().contains("tiny-mlp")).isFalse();
    try (URLClassLoader loader = ExamplePluginJar.loader(jar)) {
      ComponentRegistry registry = ComponentRegistry.load(loader);
      assertThat(registry.models().names()).contains("tiny-mlp", "resnet20");
      assertThat(registry.datasets().names()).contains("stripes", "fashion-mnist-sample");
      var info =
          registry.models().infos().stream()
              .filter(i -> i.name().equals("tiny-mlp"))
              .findFirst()
              .orElseThrow();
      assertThat(info.location()).isEqualTo(jar.toString());
    }
  }

  @Test
  void anExperimentRunsOnThePluginsModelAndData(@TempDir Path runs) throws Exception {
    try (URLClassLoader loader = ExamplePluginJar.loader(jar)) {
      ComponentRegistry registry = ComponentRegistry.load(loader);
      ResolvedExperiment e =
          new ExperimentLoader(registry).load(EXAMPLE.resolve("experiment.yaml"));
      assertThat(e.model().toSpec().options()).containsEntry("hidden", 32);
      RunMetrics m;
      try (ExperimentSession session =
          Sessions.open(
              registry, e, SessionOptions.DEFAULT.withOutput(runs), SessionListener.NONE)) {
        m = session.run().metrics();
      }
      assertThat(m.fp().test().accuracy()).isGreaterThan(0.9);
      assertThat(m.ptq().test().accuracy()).isGreaterThan(0.5);
      assertThat(m.efqat().test().accuracy()).isGreaterThan(0.8);
      assertThat(Files.readString(runs.resolve("tiny-mlp-stripes/provenance.json")))
          .contains("tiny-model-plugin.jar");
    }
  }
}
