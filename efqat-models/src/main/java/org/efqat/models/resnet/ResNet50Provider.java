package org.efqat.models.resnet;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/** Registers {@link ResNet50} as {@code resnet50}. */
public final class ResNet50Provider
    extends AbstractComponentProvider<ModelArchitecture, ResNet50Config>
    implements ModelProvider<ResNet50Config> {
  /** Called by {@link java.util.ServiceLoader}. */
  public ResNet50Provider() {
    super(
        "resnet50",
        ResNet50Config.class,
        "ResNet-50 (torchvision v1.5 layout and parameter names)");
  }

  @Override
  public ModelArchitecture create(ResNet50Config config, ComponentContext context) {
    return new ResNet50(name(), config.width());
  }
}
