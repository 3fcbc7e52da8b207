package org.efqat.api.freeze;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of freeze policies: list implementations in {@code
 * META-INF/services/org.efqat.api.freeze.FreezePolicyProvider}.
 *
 * @param <C> the config record
 */
public interface FreezePolicyProvider<C extends Record>
    extends ComponentProvider<FreezePolicy, C> {}
