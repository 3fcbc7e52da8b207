package org.efqat.core.nn;

import java.util.List;
import org.efqat.core.profile.LayerProfiler;

/**
 * A layer with an explicit forward and backward pass. {@link #backward} must follow the {@link
 * #forward} of the same batch; it accumulates parameter gradients into {@link Parameter#grad()}
 * (callers zero them between steps) and returns the gradient w.r.t. the input.
 */
public interface Layer {

  /**
   * @return the checkpoint prefix, for example {@code layers.0}
   */
  String name();

  /**
   * @param input the input batch
   * @param training whether to use batch statistics (BatchNorm) and keep what backward needs
   * @return the output batch, owned by this layer
   */
  Activation forward(Activation input, boolean training);

  /**
   * @param gradOutput the gradient w.r.t. the last forward output
   * @return the gradient w.r.t. its input, or {@code null} when the layer was told that no input
   *     gradient is needed
   */
  Activation backward(Activation gradOutput);

  /**
   * @return this layer's parameters and buffers, including those of its children
   */
  List<Parameter> parameters();

  /**
   * @return the quantizable weight layers in network order, including children
   */
  default List<WeightLayer> weightLayers() {
    return List.of();
  }

  /**
   * The activation quantizers that are not a weight layer's input quantizer (for example the
   * operands of attention's matmuls), which PTQ calibration finds here and quantizes next to the
   * weight layers. Composite layers list their children's, like {@link #weightLayers()}.
   *
   * @return them in network order, including children; empty for most layers
   */
  default List<ActivationFakeQuant> activationQuantizers() {
    return List.of();
  }

  /**
   * Tells the layer whether its input needs a gradient (false for the first layer of a network).
   *
   * @param needed whether {@link #backward} must compute the input gradient
   */
  default void setInputGradNeeded(boolean needed) {}

  /**
   * Tells the layer which training step the next forward pass belongs to, so that random choices
   * (dropout masks) are a function of the seed and the step and a resumed run draws the same ones.
   * Composite layers pass it on.
   *
   * @param step the step, from 0 in each training stage
   */
  default void setTrainingStep(long step) {}

  /**
   * Sets where timings go; composite layers pass it on to their children.
   *
   * @param profiler the profiler, or {@code null} for none
   */
  default void setProfiler(LayerProfiler profiler) {}

  /**
   * @return whether this layer only arranges other layers (whose times are recorded instead of its
   *     own)
   */
  default boolean isComposite() {
    return false;
  }

  /** Releases backend buffers. */
  default void release() {}
}
