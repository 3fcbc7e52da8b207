package org.efqat.core.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import java.util.Map;
import org.efqat.api.backend.Backend;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.quant.Quantizer;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.freeze.CwpnFreezePolicy;
import org.efqat.core.importance.MeanAbsImportanceMetric;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;

class ExperimentModuleTest {
  private static final String YAML = """
      version: 1
      name: wired
      seed: 3
      backend: unavailable-test
      model: {architecture: mlp}
      data: {dataset: synthetic}
      quantization:
        weights: {type: lsq, bits: 3}
        activations: {type: lsq-plus, bits: 5}
      efqat: {freeze: {type: cwpn, p: 0.5}}
      optimizer: {type: adamw, lr: 0.001}
      """;

  private Injector injector() throws Exception {
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ResolvedExperiment e = new ExperimentLoader(registry).parse(YAML, "wired.yaml");
    return Guice.createInjector(new PluginModule(registry), new ExperimentModule(e));
  }

  @Test
  void bindsTheChosenComponents() throws Exception {
    Injector injector = injector();
    assertThat(injector.getInstance(FreezePolicy.class)).isInstanceOf(CwpnFreezePolicy.class);
    assertThat(injector.getInstance(ImportanceMetric.class))
        .isInstanceOf(MeanAbsImportanceMetric.class);
    Quantizer w = injector.getInstance(Key.get(Quantizer.class, Names.named("weights")));
    Quantizer a = injector.getInstance(Key.get(Quantizer.class, Names.named("activations")));
    assertThat(w).isInstanceOf(LsqQuantizer.class);
    assertThat(w.grid().bits()).isEqualTo(3);
    assertThat(a).isInstanceOf(LsqPlusQuantizer.class);
    assertThat(a.grid().bits()).isEqualTo(5);
    assertThat(injector.getInstance(ComponentContext.class).seed()).isEqualTo(3L);
    assertThat(injector.getInstance(FreezePolicy.class))
        .isSameAs(injector.getInstance(FreezePolicy.class));
  }

  @Test
  void exposesEveryProviderByName() throws Exception {
    Map<String, FreezePolicyProvider<?>> policies = injector().getInstance(
        Key.get(new TypeLiteral<Map<String, FreezePolicyProvider<?>>>() {}));
    assertThat(policies).containsKeys("all", "cwpl", "cwpn", "lwpn", "none", "random");
  }

  @Test
  void anUnavailableBackendFailsWithItsReasonAndNoFallback() throws Exception {
    Injector injector = injector();
    assertThatThrownBy(() -> injector.getInstance(Backend.class))
        .isInstanceOf(ProvisionException.class)
        .hasRootCauseInstanceOf(BackendUnavailableException.class)
        .rootCause()
        .hasMessage("backend 'unavailable-test' is unavailable: libtest.so: cannot open shared"
            + " object file");
  }
}
