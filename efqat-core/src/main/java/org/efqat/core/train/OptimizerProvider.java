package org.efqat.core.train;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of optimizers ({@code optimizer.type} and {@code pretrain.optimizer.type}). Each
 * {@code create} returns a fresh optimizer with no state. Listed in {@code
 * META-INF/services/org.efqat.core.train.OptimizerProvider}.
 *
 * @param <C> the config record (the section's keys other than {@code type}, {@code lr}, {@code
 *     schedule} and {@code warmupSteps})
 */
public interface OptimizerProvider<C extends Record> extends ComponentProvider<Optimizer, C> {}
