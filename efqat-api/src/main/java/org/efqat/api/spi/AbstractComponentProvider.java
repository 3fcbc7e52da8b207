package org.efqat.api.spi;

import java.util.Objects;

/**
 * Holds the name, config type and description of a provider so that each provider class (built-in,
 * backend or plugin) implements only {@code create} (and, for backends, {@code probe}).
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
