/**
 * Model builders ({@link org.efqat.models.ModelFactory}: MLP, a small CNN, ResNet-20) and datasets
 * ({@link org.efqat.models.data}). Weights are initialized from a seeded stream (He-normal for
 * convolutions, PyTorch's uniform rule for linear layers).
 */
package org.efqat.models;
