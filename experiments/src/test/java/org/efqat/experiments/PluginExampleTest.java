package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the example plugin in {@code examples/sticky-freeze-policy} into a jar of its own (with
 * the JDK compiler, against efqat-api only; {@link ExamplePluginJar}) and loads it on a class path
 * of its own, as a user dropping the jar into {@code plugins/} would.
 */
class PluginExampleTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "sticky-freeze-policy");

  @TempDir static Path work;

  private static Path jar;

  @BeforeAll
  static void buildThePluginJar() throws IOException {
    jar =
        ExamplePluginJar.build(
            EXAMPLE, work, FreezePolicyProvider.class, org.apiguardian.api.API.class);
  }

  private static URLClassLoader pluginLoader() throws IOException {
    return ExamplePluginJar.loader(jar);
  }

  @Test
  void theRegistryDiscoversThePolicyFromItsOwnJar() throws IOException {
    assertThat(ComponentRegistry.loadDefault().freezePolicies().contains("sticky")).isFalse();
    try (URLClassLoader loader = pluginLoader()) {
      ComponentRegistry registry = ComponentRegistry.load(loader);
      assertThat(registry.freezePolicies().names()).contains("sticky", "cwpn");
      var info =
          registry.freezePolicies().infos().stream()
              .filter(i -> i.name().equals("sticky"))
              .findFirst()
              .orElseThrow();
      assertThat(info.className()).isEqualTo("com.example.efqat.StickyFreezePolicyProvider");
      assertThat(info.location()).isEqualTo(jar.toString());
    }
  }

  @Test
  void aYamlTypeResolvesToThePluginAndItsKeysBindToItsConfig() throws Exception {
    try (URLClassLoader loader = pluginLoader()) {
      ExperimentLoader experiments = new ExperimentLoader(ComponentRegistry.load(loader));
      ResolvedExperiment e = experiments.load(EXAMPLE.resolve("experiment.yaml"));
      assertThat(e.freeze().provider().getClass().getName())
          .isEqualTo("com.example.efqat.StickyFreezePolicyProvider");
      assertThat(e.freeze().toSpec().options())
          .containsEntry("p", 0.25)
          .containsEntry("slack", 0.5);
      FreezePolicy policy = e.freeze().create(ComponentContext.ofSeed(1));
      var selection =
          policy.select(
              NetworkImportance.of(new LayerImportance("conv", new double[] {0.1, 0.4, 0.3, 0.2})));
      assertThat(selection.unfrozenRows("conv")).containsExactly(1);

      String bad =
          Files.readString(EXAMPLE.resolve("experiment.yaml")).replace("slack: 0.5", "slack: -1");
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> experiments.parse(bad, "experiment.yaml")))
          .hasMessageContaining(
              "experiment.yaml:16: efqat.freeze.slack must be in [0, 100] (was -1)");
    }
  }
}
