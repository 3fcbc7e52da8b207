package com.example.efqat.tiny;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/** Registers {@link TinyMlp} as {@code tiny-mlp}. */
public final class TinyMlpProvider
    extends AbstractComponentProvider<ModelArchitecture, TinyMlpConfig>
    implements ModelProvider<TinyMlpConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public TinyMlpProvider() {
    super("tiny-mlp", TinyMlpConfig.class, "example plugin: flatten, one ReLU hidden layer, fc");
  }

  @Override
  public ModelArchitecture create(TinyMlpConfig config, ComponentContext context) {
    return new TinyMlp(name(), config.hidden());
  }
}
