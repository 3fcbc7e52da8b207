package org.efqat.core.importance;

import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/** Registers {@link MeanAbsImportanceMetric} as {@code mean-abs}. */
public final class MeanAbsImportanceMetricProvider implements ImportanceMetricProvider<NoOptions> {
  @Override
  public String name() {
    return "mean-abs";
  }

  @Override
  public Class<NoOptions> configType() {
    return NoOptions.class;
  }

  @Override
  public String description() {
    return "mean |w| of each row's latent FP weights (EfQAT default)";
  }

  @Override
  public ImportanceMetric create(NoOptions config, ComponentContext context) {
    return new MeanAbsImportanceMetric();
  }
}
