/**
 * Post-training quantization (DESIGN.md 1.3): optional BatchNorm folding, then range calibration of
 * every weight layer's inputs (per tensor) and weights (per output row) with min-max, percentile or
 * MSE-search estimators, which initializes the quantizers.
 */
package org.efqat.core.ptq;
