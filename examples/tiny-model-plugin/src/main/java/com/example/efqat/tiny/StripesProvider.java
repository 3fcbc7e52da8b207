package com.example.efqat.tiny;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.DatasetProvider;

/**
 * Registers {@link StripesData} as {@code stripes}, generated from the component's stream {@code
 * context.random("data.<name>")}: the training images first, then the test images.
 */
public final class StripesProvider extends AbstractComponentProvider<Dataset, StripesConfig>
    implements DatasetProvider<StripesConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public StripesProvider() {
    super(
        "stripes",
        StripesConfig.class,
        "example plugin: 8x8 images of one bright stripe; 4 classes (top, bottom, left, right)");
  }

  @Override
  public Dataset create(StripesConfig config, ComponentContext context) {
    return () ->
        StripesData.generate(
            name(), config.trainSamples(), config.testSamples(), context.random("data." + name()));
  }
}
