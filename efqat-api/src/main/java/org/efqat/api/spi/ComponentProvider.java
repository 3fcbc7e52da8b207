package org.efqat.api.spi;

import org.apiguardian.api.API;

/**
 * Creates one kind of component from its config record. Each plugin kind has its own sub-interface
 * (for example {@code FreezePolicyProvider}) which is the type named in {@code META-INF/services}.
 *
 * <p>An experiment file references a provider by {@code type: <name()>}; the section's other keys
 * bind to {@link #configType()}. Implementations must have a public no-argument constructor, keep
 * no state and do no work until {@link #create} (no I/O, no native loading).
 *
 * @param <T> the component type
 * @param <C> the immutable config record; use {@link NoOptions} when there are no options
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ComponentProvider<T, C extends Record> {

  /**
   * The name YAML uses in {@code type:}; lower-kebab-case, see {@link ComponentNames#check}.
   *
   * @return the name, for example {@code "cwpn"}
   */
  String name();

  /**
   * The record the section's keys (other than {@code type}) bind to. Its compact constructor
   * validates values and throws {@link ConfigValueException} naming the offending key; {@code null}
   * components stand for keys left out and should be replaced by documented defaults.
   *
   * @return the config record class
   */
  Class<C> configType();

  /**
   * A one-line description shown by {@code efqat list-components}.
   *
   * @return the description
   */
  default String description() {
    return "";
  }

  /**
   * Creates the component.
   *
   * @param config the validated config record
   * @param context the run's seeded context
   * @return a new component
   */
  T create(C config, ComponentContext context);
}
