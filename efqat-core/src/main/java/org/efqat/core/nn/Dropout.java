package org.efqat.core.nn;

import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;

/**
 * Inverted dropout: in training each value is zeroed with probability {@code p} and the others are
 * scaled by {@code 1/(1 − p)}; in evaluation it is the identity. Any shape.
 *
 * <p>The mask of a forward pass is drawn on the backend ({@code TensorOps.dropoutMask}: element
 * {@code i} is the {@code i}-th draw of a {@link SplittableRandom} seeded with this layer's seed
 * and the training step, {@link #setTrainingStep}), so a run resumed at step {@code t} draws the
 * masks it would have drawn without the interruption, both backends see the same masks, and no mask
 * crosses from the Java heap.
 */
public final class Dropout extends StatelessLayer {
  /** The golden-ratio increment that spreads consecutive steps over the seed space. */
  private static final long STEP_STRIDE = 0x9E3779B97F4A7C15L;

  private final float probability;
  private final long seed;
  private long step;
  private Tensor mask;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name a name (no parameters)
   * @param probability {@code p} in {@code [0, 1)}
   * @param seed this layer's seed (split from the run's seed)
   */
  public Dropout(Backend backend, String name, float probability, long seed) {
    super(backend, name);
    if (!(probability >= 0 && probability < 1)) {
      throw new IllegalArgumentException(
          name + ": dropout probability must be in [0, 1), got " + probability);
    }
    this.probability = probability;
    this.seed = seed;
  }

  /**
   * @return {@code p}
   */
  public float probability() {
    return probability;
  }

  @Override
  public void setTrainingStep(long step) {
    this.step = step;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    if (!training || probability == 0f) {
      mask = null;
      lastShape = null;
      return input;
    }
    TensorOps ops = cache.backend().ops();
    long[] dims = input.shape().dims();
    mask = cache.get("mask", dims);
    ops.dropoutMask(mask, seed + step * STEP_STRIDE, probability);
    Tensor y = cache.get("output", dims);
    ops.multiply(ops.reshape(input.tensor(), dims), mask, y);
    lastShape = input.shape();
    return new Activation(y, lastShape);
  }

  @Override
  public Activation backward(Activation gradOutput) {
    if (mask == null) {
      return gradOutput;
    }
    TensorOps ops = cache.backend().ops();
    long[] dims = lastShape.dims();
    Tensor dx = cache.get("input_grad", dims);
    ops.multiply(ops.reshape(gradOutput.tensor(), dims), mask, dx);
    return new Activation(dx, lastShape);
  }
}
