package org.efqat.core.ptq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;

/**
 * A copy of every weight layer's latent weights and bias taken right after range calibration, when
 * they still are the full-precision model's (BatchNorm folded if configured): the reference of
 * every PTQ refinement. Refinements change weights (AdaRound bakes its rounding) and biases (bias
 * correction), so a network that is merely {@linkplain Network#setQuantizationBypassed bypassed} no
 * longer computes the FP model's outputs; {@link #apply()} puts these values back for the duration
 * of a full-precision pass ({@link LayerwiseReconstruction}). A layer that has gained a bias since
 * the copy runs with a zero bias during the pass. The copy holds {@code 4} bytes per weight and
 * bias, on the heap.
 */
public final class FullPrecisionWeights {
  private final List<Saved> values;

  /** One layer's copied weights and bias ({@code null} when it had none). */
  private record Saved(WeightLayer layer, float[] weights, float[] bias) {}

  private FullPrecisionWeights(List<Saved> values) {
    this.values = values;
  }

  /**
   * @param network a network whose weight layers hold full-precision weights
   * @return a copy of every weight layer's weights and bias (or none)
   */
  public static FullPrecisionWeights of(Network network) {
    List<Saved> v = new ArrayList<>();
    for (WeightLayer l : network.weightLayers()) {
      v.add(
          new Saved(
              l, l.weight().value().clone(), l.bias() == null ? null : l.bias().value().clone()));
    }
    return new FullPrecisionWeights(List.copyOf(v));
  }

  /** Puts the layers' current values back when closed. */
  public interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Writes the copied values into the layers (zeros into a bias added since) until the returned
   * handle is closed, which restores the values the layers had before.
   *
   * @return the handle; close it in a {@code finally} block or with try-with-resources
   */
  public Restore apply() {
    List<Runnable> undo = new ArrayList<>();
    for (Saved saved : values) {
      WeightLayer l = saved.layer();
      swap(l.weight(), saved.weights(), undo);
      if (l.bias() != null) {
        swap(l.bias(), saved.bias() == null ? new float[l.outChannels()] : saved.bias(), undo);
      }
    }
    return () -> undo.forEach(Runnable::run);
  }

  private static void swap(Parameter p, float[] with, List<Runnable> undo) {
    float[] live = p.value();
    Objects.checkIndex(with.length - 1, live.length);
    float[] now = live.clone();
    System.arraycopy(with, 0, live, 0, live.length);
    undo.add(() -> System.arraycopy(now, 0, live, 0, live.length));
  }
}
