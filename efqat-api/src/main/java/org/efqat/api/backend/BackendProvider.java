package org.efqat.api.backend;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of backends: list implementations in {@code
 * META-INF/services/org.efqat.api.backend.BackendProvider}. Constructing a provider must not load
 * native code; {@link #probe()} and {@link #create} may.
 *
 * @param <C> the config record
 */
public interface BackendProvider<C extends Record> extends ComponentProvider<Backend, C> {

  /**
   * Tries to load the backend's native library.
   *
   * @return whether the backend can run here, with the reason when it cannot
   */
  Availability probe();
}
