/**
 * Model builders ({@link org.efqat.models.ModelFactory}: MLP, a small CNN, ResNet-20 with PyTorch
 * parameter names) and datasets ({@link org.efqat.models.data}: IDX, CIFAR-10 binary, synthetic,
 * the bundled Fashion-MNIST sample). Weights are initialized from a seeded stream (He-normal for
 * convolutions, PyTorch's uniform rule for linear layers).
 */
package org.efqat.models;
