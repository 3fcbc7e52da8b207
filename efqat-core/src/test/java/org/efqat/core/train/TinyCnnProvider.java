package org.efqat.core.train;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/**
 * A test model component, {@code test-cnn}: {@link TinyNets#cnn} initialized from the model stream.
 * Core's tests use it where efqat-models' architectures are not on the class path.
 */
public final class TinyCnnProvider extends AbstractComponentProvider<ModelArchitecture, NoOptions>
    implements ModelProvider<NoOptions> {
  /** Registers the model. */
  public TinyCnnProvider() {
    super("test-cnn", NoOptions.class, "core test model: conv-bn-relu-conv-relu-pool-fc");
  }

  @Override
  public ModelArchitecture create(NoOptions config, ComponentContext context) {
    return (backend, sample, classes, init) -> {
      if (!sample.equals(TinyNets.SAMPLE) || classes != TinyNets.CLASSES) {
        throw new IllegalArgumentException(
            "test-cnn takes "
                + TinyNets.SAMPLE
                + " and "
                + TinyNets.CLASSES
                + " classes (was "
                + sample
                + ", "
                + classes
                + ")");
      }
      return TinyNets.cnn(backend, init.nextLong());
    };
  }
}
