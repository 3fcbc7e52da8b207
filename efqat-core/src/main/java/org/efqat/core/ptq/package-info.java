/**
 * Post-training quantization (DESIGN.md 1.3): optional BatchNorm folding, then range calibration of
 * every weight layer's inputs (per tensor) and weights (per output row) with min-max, percentile or
 * MSE-search estimators, which initializes the quantizers; then optional refinements ({@link
 * org.efqat.core.ptq.PtqRefinement}: AdaRound, empirical bias correction, output-error input
 * ranges) that reconstruct each layer's full-precision output layer by layer ({@link
 * org.efqat.core.ptq.LayerwiseReconstruction}).
 */
package org.efqat.core.ptq;
