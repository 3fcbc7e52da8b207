package org.efqat.models.resnet;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/** Registers {@link ResNet20} as {@code resnet20}. */
public final class ResNet20Provider
    extends AbstractComponentProvider<ModelArchitecture, ResNet20Config>
    implements ModelProvider<ResNet20Config> {
  /** Called by {@link java.util.ServiceLoader}. */
  public ResNet20Provider() {
    super(
        "resnet20",
        ResNet20Config.class,
        "ResNet-20 for small images (CIFAR layout), PyTorch parameter names");
  }

  @Override
  public ModelArchitecture create(ResNet20Config config, ComponentContext context) {
    return new ResNet20(name(), config.width());
  }
}
