/**
 * Seeded weight initialization shared by every architecture of efqat-models: He normal (fan-in and
 * torchvision's fan-out mode) for convolutions and PyTorch's uniform rule for linear layers. Each
 * initializer draws from the {@link java.util.SplittableRandom} it is given, in index order, so an
 * architecture's weights are fixed by its stream and its layer order. This package depends on
 * nothing else in efqat-models.
 */
package org.efqat.models.init;
