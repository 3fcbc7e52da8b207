package org.efqat.core.ptq;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of PTQ refinements ({@code quantization.calibration.refine}, a list such as
 * {@code [{type: adaround, iterations: 2000}, bias-correction]}). Listed in {@code
 * META-INF/services/org.efqat.core.ptq.PtqRefinementProvider}.
 *
 * @param <C> the config record
 */
public interface PtqRefinementProvider<C extends Record>
    extends ComponentProvider<PtqRefinement, C> {}
