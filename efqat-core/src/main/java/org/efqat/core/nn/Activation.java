package org.efqat.core.nn;

import org.efqat.api.backend.Tensor;

/**
 * A batch of feature maps on the backend. The tensor belongs to the layer that produced it and is
 * valid until that layer's next forward (or backward, for gradients) pass.
 *
 * @param tensor the data, {@code shape.dims()} or {@code shape.matrix()} shaped
 * @param shape the NHWC shape
 */
public record Activation(Tensor tensor, FeatureShape shape) {}
