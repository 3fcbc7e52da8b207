package org.efqat.core.registry;

import java.util.Objects;
import org.efqat.api.spi.ComponentNames;
import org.efqat.api.spi.ComponentProvider;

/**
 * Holds the name, config type and description of a built-in provider so that each provider class
 * only implements {@code create}.
 *
 * @param <T> the component type
 * @param <C> the config record
 */
public abstract class AbstractComponentProvider<T, C extends Record>
    implements ComponentProvider<T, C> {
  private final String name;
  private final Class<C> configType;
  private final String description;

  /**
   * @param name the lower-kebab-case name
   * @param configType the config record
   * @param description one line for {@code efqat list-components}
   */
  protected AbstractComponentProvider(String name, Class<C> configType, String description) {
    this.name = ComponentNames.check(name, getClass());
    this.configType = Objects.requireNonNull(configType, "configType is null");
    this.description = Objects.requireNonNull(description, "description is null");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Class<C> configType() {
    return configType;
  }

  @Override
  public final String description() {
    return description;
  }
}
