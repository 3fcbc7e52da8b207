package org.efqat.core.ptq;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of PTQ calibration methods ({@code quantization.calibration.method}, for example
 * {@code minmax} or {@code {type: percentile, percentile: 99.99}}). Listed in {@code
 * META-INF/services/org.efqat.core.ptq.RangeEstimatorProvider}.
 *
 * @param <C> the config record
 */
public interface RangeEstimatorProvider<C extends Record>
    extends ComponentProvider<RangeEstimator, C> {}
