/**
 * Fake quantizers (DESIGN.md 1.1): the forward pass rounds to a {@link
 * org.efqat.api.quant.QuantGrid} and the backward pass is straight-through for the rounded value,
 * with learnable step (LSQ, Esser et al. 2020) and zero point (LSQ+, Bhalgat et al. 2020)
 * gradients. Built-ins: {@code lsq}, {@code lsq-plus}, {@code fixed-ste}.
 */
package org.efqat.api.quant;
