package org.efqat.api.quant;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of quantizers: list implementations in {@code
 * META-INF/services/org.efqat.api.quant.QuantizerProvider}.
 *
 * @param <C> the config record; by convention it has a {@code bits} key
 */
public interface QuantizerProvider<C extends Record> extends ComponentProvider<Quantizer, C> {}
