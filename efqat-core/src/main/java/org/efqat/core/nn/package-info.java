/**
 * Layers with explicit forward and backward passes on a {@link org.efqat.api.backend.Backend}.
 * Activations are NHWC ({@link org.efqat.core.nn.Activation}); a feature map {@code [n, h, w, c]}
 * is also the matrix {@code [n·h·w, c]} that the GEMMs and per-channel kernels use. Parameters live
 * on the heap ({@link org.efqat.core.nn.Parameter}) where the optimizer, the importance metric and
 * checkpoints use them; weights are uploaded (quantized) once per forward pass. Quantized {@link
 * org.efqat.core.nn.WeightLayer}s compute the weight gradient only for their unfrozen rows
 * (DESIGN.md 1.1).
 */
package org.efqat.core.nn;
