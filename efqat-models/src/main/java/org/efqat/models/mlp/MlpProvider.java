package org.efqat.models.mlp;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/** Registers {@link Mlp} as {@code mlp}. */
public final class MlpProvider extends AbstractComponentProvider<ModelArchitecture, MlpConfig>
    implements ModelProvider<MlpConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public MlpProvider() {
    super("mlp", MlpConfig.class, "multi-layer perceptron: flatten, two ReLU hidden layers");
  }

  @Override
  public ModelArchitecture create(MlpConfig config, ComponentContext context) {
    return new Mlp(name(), config.width());
  }
}
