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
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // the caller names the type
  public <T> T create(ComponentContext context) {
    return ((ComponentProvider<T, Record>) provider).create(config, context);
  }

  /**
   * The same component with one option changed (for example {@code bits} for the first layer).
   *
   * @param key the option, a component of the config record
   * @param value its new value
   * @return a component bound to the changed config
   * @throws IllegalArgumentException if the provider's config has no such option or the value is
   *     invalid
   */
  @SuppressWarnings("unchecked")
  public ResolvedComponent<P> withOption(String key, Object value) {
    java.util.Map<String, Object> options = Yaml.MAPPER.convertValue(config, java.util.Map.class);
    if (!options.containsKey(key)) {
      throw new IllegalArgumentException(
          path
              + " ("
              + provider.name()
              + ") has no option '"
              + key
              + "'; options: "
              + options.keySet());
    }
    options.put(key, value);
    Record rebound = Yaml.MAPPER.convertValue(options, provider.configType());
    return new ResolvedComponent<>(path, provider, rebound);
  }

  /**
   * @return the spec with every option spelled out, defaults included
   */
  public ComponentSpec toSpec() {
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> options = Yaml.MAPPER.convertValue(config, java.util.Map.class);
    return new ComponentSpec(provider.name(), options);
  }
}
