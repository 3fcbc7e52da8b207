package org.efqat.core.config;

import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.ComponentProvider;

/**
 * A {@link ComponentSpec} bound to its provider and its validated config record.
 *
 * @param path the YAML path of the section, for example {@code efqat.freeze}
 * @param provider the provider named by {@code type:}
 * @param config the section's other keys bound to the provider's config record, defaults applied
 * @param <P> the provider type
 */
public record ResolvedComponent<P extends ComponentProvider<?, ?>>(
    String path, P provider, Record config) {

  /**
   * Creates the component.
   *
   * @param context the run's context
   * @param <T> the component type
   * @return a new component
   */
  @SuppressWarnings("unchecked")
  public <T> T create(ComponentContext context) {
    return ((ComponentProvider<T, Record>) provider).create(config, context);
  }

  /** @return the spec with every option spelled out, defaults included */
  public ComponentSpec toSpec() {
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> options = Yaml.MAPPER.convertValue(config, java.util.Map.class);
    return new ComponentSpec(provider.name(), options);
  }
}
