package org.efqat.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLClassLoader;
import java.nio.file.Path;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.core.freeze.CwpnFreezePolicyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedRegistryTest {
  @TempDir Path dir;

  @Test
  void findsEveryBuiltInByName() {
    ComponentRegistry r = ComponentRegistry.loadDefault();
    assertThat(r.freezePolicies().names())
        .containsExactly("all", "cwpl", "cwpn", "lwpn", "none", "random");
    assertThat(r.importanceMetrics().names()).containsExactly("mean-abs");
    assertThat(r.quantizers().names()).containsExactly("fixed-ste", "lsq", "lsq-plus");
    assertThat(r.freezePolicies().get("cwpn")).isInstanceOf(CwpnFreezePolicyProvider.class);
  }

  @Test
  void infosNameTheClassAndWhereItWasLoadedFrom() {
    ComponentInfo info =
        ComponentRegistry.loadDefault().freezePolicies().infos().stream()
            .filter(i -> i.name().equals("lwpn"))
            .findFirst()
            .orElseThrow();
    assertThat(info.kind()).isEqualTo(ComponentKind.FREEZE_POLICY);
    assertThat(info.className()).isEqualTo("org.efqat.core.freeze.LwpnFreezePolicyProvider");
    assertThat(info.location()).contains("efqat-core");
    assertThat(info.description()).contains("layer-wise");
  }

  @Test
  void anUnknownNameListsWhatExistsAndHintsAtAMissingJar() {
    NamedRegistry<FreezePolicyProvider<?>> r = ComponentRegistry.loadDefault().freezePolicies();
    assertThatThrownBy(() -> r.get("oscillation"))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            "unknown freeze-policy 'oscillation'; available: all, cwpl, cwpn, lwpn, none,"
                + " random (a plugin jar providing FreezePolicyProvider may be missing from the class"
                + " path)");
  }

  @Test
  void aDuplicateNameFailsNamingBothClassesAndTheirLocations() throws Exception {
    try (URLClassLoader loader =
        ServicesFolder.loaderWith(
            dir, FreezePolicyProvider.class, DuplicateCwpnProvider.class.getName())) {
      assertThatThrownBy(() -> NamedRegistry.load(ComponentKind.FREEZE_POLICY, loader))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("duplicate freeze-policy name 'cwpn'")
          .hasMessageContaining(CwpnFreezePolicyProvider.class.getName())
          .hasMessageContaining(DuplicateCwpnProvider.class.getName())
          .hasMessageContaining("test-classes")
          .hasMessageContaining("classes");
    }
  }

  @Test
  void aNameThatIsNotKebabCaseIsABrokenEntry() throws Exception {
    try (URLClassLoader loader =
        ServicesFolder.loaderWith(
            dir, FreezePolicyProvider.class, BadNameProvider.class.getName())) {
      NamedRegistry<?> r = NamedRegistry.load(ComponentKind.FREEZE_POLICY, loader);
      assertThat(r.names()).doesNotContain("My_Policy");
      assertThat(r.broken()).hasSize(1);
      assertThat(r.broken().get(0).toString())
          .contains("'My_Policy'")
          .contains(BadNameProvider.class.getName())
          .contains("lower-kebab-case");
    }
  }

  @Test
  void aServicesFileNamingAMissingClassIsABrokenEntryNamingTheFolderAndService() throws Exception {
    try (URLClassLoader loader =
        ServicesFolder.loaderWith(dir, FreezePolicyProvider.class, "com.example.Missing")) {
      NamedRegistry<?> r = NamedRegistry.load(ComponentKind.FREEZE_POLICY, loader);
      assertThat(r.broken().get(0).toString())
          .isEqualTo(
              "broken freeze-policy entry com.example.Missing (listed in "
                  + dir
                  + ", META-INF/services/org.efqat.api.freeze.FreezePolicyProvider): the class"
                  + " does not exist (not in that jar, nor on the class path)");
    }
  }
}
