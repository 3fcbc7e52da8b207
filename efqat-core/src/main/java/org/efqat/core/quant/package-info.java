/**
 * Built-in fake quantizers (DESIGN.md 1.1): {@code lsq} (weights: symmetric signed, learnable step,
 * Esser et al. 2020), {@code lsq-plus} (activations: asymmetric unsigned, learnable step and zero
 * point, Bhalgat et al. 2020) and {@code fixed-ste} (calibrated range kept fixed, straight-through
 * gradient only).
 */
package org.efqat.core.quant;
