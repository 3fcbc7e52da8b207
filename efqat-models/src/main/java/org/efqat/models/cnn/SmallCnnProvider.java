package org.efqat.models.cnn;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/** Registers {@link SmallCnn} as {@code cnn}. */
public final class SmallCnnProvider
    extends AbstractComponentProvider<ModelArchitecture, SmallCnnConfig>
    implements ModelProvider<SmallCnnConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public SmallCnnProvider() {
    super(
        "cnn",
        SmallCnnConfig.class,
        "small VGG-style CNN: three conv-BN-ReLU stages (w, 2w, 4w channels), average pool, fc");
  }

  @Override
  public ModelArchitecture create(SmallCnnConfig config, ComponentContext context) {
    return new SmallCnn(name(), config.width());
  }
}
