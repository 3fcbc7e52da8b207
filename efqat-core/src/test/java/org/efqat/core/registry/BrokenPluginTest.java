package org.efqat.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins on the class path twice fail at start-up naming both jars; a broken entry or jar is
 * recorded and breaks only what needs it.
 */
class BrokenPluginTest {
  private static final String SERVICES =
      "META-INF/services/org.efqat.api.freeze.FreezePolicyProvider";

  @TempDir Path dir;

  private Path jar(String name, String... classes) {
    return PluginJars.jar(dir.resolve(name), FreezePolicyProvider.class, classes);
  }

  @Test
  void theSameJarTwiceFailsNamingBothCopies() throws Exception {
    Path a = jar("plugins/extra.jar", ExtraTestProvider.class.getName());
    Path b = dir.resolve("elsewhere/extra.jar");
    Files.createDirectories(b.getParent());
    Files.copy(a, b);
    try (URLClassLoader loader = PluginJars.loaderWith(a, b)) {
      assertThatThrownBy(() -> ComponentRegistry.load(loader))
          .isInstanceOf(RegistryException.class)
          .hasMessage(
              "duplicate freeze-policy provider org.efqat.core.registry.ExtraTestProvider: listed"
                  + " by both "
                  + a
                  + " and "
                  + b
                  + " (the same plugin is on the class path twice, or two versions of it);"
                  + " remove one");
    }
  }

  @Test
  void twoVersionsOfOnePluginFailNamingBothJars() throws Exception {
    Path v1 = jar("extra-1.0.jar", ExtraTestProvider.class.getName());
    Path v2 = jar("extra-1.1.jar", "# version 1.1", ExtraTestProvider.class.getName());
    try (URLClassLoader loader = PluginJars.loaderWith(v1, v2)) {
      assertThatThrownBy(() -> NamedRegistry.load(ComponentKind.FREEZE_POLICY, loader))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("listed by both " + v1 + " and " + v2);
    }
  }

  @Test
  void twoJarsWithTheSameNameButDifferentClassesFailNamingBoth() throws Exception {
    Path mine = jar("mine.jar", DuplicateCwpnProvider.class.getName());
    try (URLClassLoader loader = PluginJars.loaderWith(mine)) {
      assertThatThrownBy(() -> ComponentRegistry.load(loader))
          .isInstanceOf(RegistryException.class)
          .hasMessageStartingWith("duplicate freeze-policy name 'cwpn': ")
          .hasMessageContaining("org.efqat.core.freeze.CwpnFreezePolicyProvider (")
          .hasMessageContaining(DuplicateCwpnProvider.class.getName() + " (");
    }
  }

  @Test
  void brokenEntriesAreRecordedNotFatal() throws Exception {
    Path plugin =
        jar(
            "broken.jar",
            "com.example.Missing",
            ServicesFolder.class.getName(),
            ThrowingProvider.class.getName(),
            BadNameProvider.class.getName(),
            ExtraTestProvider.class.getName());
    try (URLClassLoader loader = PluginJars.loaderWith(plugin)) {
      ComponentRegistry registry = ComponentRegistry.load(loader);
      NamedRegistry<FreezePolicyProvider<?>> policies = registry.freezePolicies();
      assertThat(policies.names()).contains("cwpn", "extra-test");
      assertThat(policies.get("extra-test")).isInstanceOf(ExtraTestProvider.class);
      String where = " (listed in " + plugin + ", " + SERVICES + "): ";
      assertThat(policies.broken().stream().map(BrokenEntry::toString).toList())
          .containsExactly(
              "broken freeze-policy entry com.example.Missing"
                  + where
                  + "the class does not exist (not in that jar, nor on the class path)",
              "broken freeze-policy entry org.efqat.core.registry.ServicesFolder"
                  + where
                  + "the class does not implement org.efqat.api.freeze.FreezePolicyProvider",
              "broken freeze-policy entry org.efqat.core.registry.ThrowingProvider"
                  + where
                  + "its constructor throws IllegalStateException: no licence key",
              "broken freeze-policy entry org.efqat.core.registry.BadNameProvider"
                  + where
                  + "component name 'My_Policy' of org.efqat.core.registry.BadNameProvider is not"
                  + " lower-kebab-case [a-z][a-z0-9-]{0,63}");
      assertThat(registry.broken()).hasSize(4);
      assertThat(registry.quantizers().broken()).isEmpty();
      assertThat(registry.quantizers().get("lsq")).isNotNull();
    }
  }

  @Test
  void anUnknownNameOfAKindWithBrokenEntriesNamesThem() throws Exception {
    Path plugin = jar("broken.jar", "com.example.Missing");
    try (URLClassLoader loader = PluginJars.loaderWith(plugin)) {
      NamedRegistry<FreezePolicyProvider<?>> policies =
          NamedRegistry.load(ComponentKind.FREEZE_POLICY, loader);
      assertThatThrownBy(() -> policies.get("oscillation"))
          .isInstanceOf(RegistryException.class)
          .hasMessage(
              "unknown freeze-policy 'oscillation'; available: all, cwpl, cwpn, lwpn, none,"
                  + " random (a plugin jar providing FreezePolicyProvider may be missing from the"
                  + " class path); it may be a broken plugin entry: broken freeze-policy entry"
                  + " com.example.Missing (listed in "
                  + plugin
                  + ", "
                  + SERVICES
                  + "): the class does not exist (not in that jar, nor on the class path)");
    }
  }

  @Test
  void aCorruptJarIsNamedForEveryKind() throws Exception {
    Path corrupt = dir.resolve("x.jar");
    Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    try (URLClassLoader loader = PluginJars.loaderWith(corrupt)) {
      ComponentRegistry registry = ComponentRegistry.load(loader);
      List<BrokenEntry> broken = registry.broken();
      assertThat(broken).hasSize(1);
      assertThat(broken.get(0).toString())
          .startsWith(corrupt + ": is on the class path but cannot be read as a jar (")
          .endsWith("); any components it holds are missing");
      assertThat(registry.backends().unknownMessage("acme"))
          .contains("it may be a broken plugin entry: " + corrupt + ": is on the class path");
      assertThat(registry.freezePolicies().get("cwpn")).isNotNull();
    }
  }

  @Test
  void anExperimentThatDoesNotNeedTheBrokenEntryStillLoadsAndOneThatDoesIsToldWhy()
      throws Exception {
    String yaml =
        """
        version: 1
        name: unit
        backend: unavailable-test
        model: {architecture: test-cnn}
        data: {dataset: test-patches}
        quantization: {weights: lsq, activations: lsq-plus}
        efqat: {freeze: {type: cwpn, p: 0.1}}
        optimizer: {type: sgd, lr: 0.01}
        """;
    Path plugin = jar("broken.jar", "com.example.OscillationProvider");
    try (URLClassLoader loader = PluginJars.loaderWith(plugin)) {
      ExperimentLoader experiments = new ExperimentLoader(ComponentRegistry.load(loader));
      assertThat(experiments.parse(yaml, "x.yaml").freeze().provider().name()).isEqualTo("cwpn");
      assertThatThrownBy(
              () -> experiments.parse(yaml.replace("type: cwpn, p: 0.1", "type: osc"), "x.yaml"))
          .isInstanceOf(ExperimentValidationException.class)
          .hasMessageStartingWith(
              "x.yaml:7: efqat.freeze.type 'osc' is not a registered freeze-policy; available:")
          .hasMessageEndingWith(
              "; it may be a broken plugin entry: broken freeze-policy entry"
                  + " com.example.OscillationProvider (listed in "
                  + plugin
                  + ", "
                  + SERVICES
                  + "): the class does not exist (not in that jar, nor on the class path)");
    }
  }
}
