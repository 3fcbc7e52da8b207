package org.efqat.core.nn;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.core.profile.LayerProfiler;

/**
 * A residual block (He et al. 2016): {@code relu(main(x) + shortcut(x))}. {@code main} is
 * conv-bn-relu-conv-bn in ResNet-20's basic block and the 1×1/3×3/1×1 bottleneck in ResNet-50;
 * {@code shortcut} is the identity or a 1×1 strided conv with BatchNorm (ResNet-20 names them
 * {@code short.0}/{@code short.1}, torchvision {@code downsample.0}/{@code downsample.1}).
 */
public final class ResidualBlock implements Layer {
  private final String name;
  private final Sequential main;
  private final Sequential shortcut; // null: identity
  private final ReLU out;
  private final TensorCache cache;
  private LayerProfiler profiler;

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix, for example {@code layers.3}
   * @param main the main path
   * @param shortcut the projection shortcut, or {@code null} for the identity
   */
  public ResidualBlock(Backend backend, String name, Sequential main, Sequential shortcut) {
    this.name = name;
    this.main = main;
    this.shortcut = shortcut;
    this.out = new ReLU(backend, name + ".relu2");
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the main path
   */
  public Sequential main() {
    return main;
  }

  /**
   * @return the projection shortcut, or {@code null} for the identity
   */
  public Sequential shortcut() {
    return shortcut;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    Activation m = main.forward(input, training);
    Activation s = shortcut == null ? input : shortcut.forward(input, training);
    long t0 = System.nanoTime();
    Tensor sum = cache.get("sum", m.shape().dims());
    var ops = cache.backend().ops();
    ops.add(
        ops.reshape(m.tensor(), m.shape().dims()), ops.reshape(s.tensor(), m.shape().dims()), sum);
    Activation y = out.forward(new Activation(sum, m.shape()), training);
    if (profiler != null) {
      profiler.record(out.name(), LayerProfiler.Phase.FORWARD, System.nanoTime() - t0);
    }
    return y;
  }

  @Override
  public Activation backward(Activation gradOutput) {
    long t0 = System.nanoTime();
    Activation d = out.backward(gradOutput);
    long t1 = System.nanoTime();
    Activation dm = main.backward(d);
    Activation ds = shortcut == null ? d : shortcut.backward(d);
    long t2 = System.nanoTime();
    Tensor dx = cache.get("input_grad", dm.shape().dims());
    var ops = cache.backend().ops();
    ops.add(
        ops.reshape(dm.tensor(), dm.shape().dims()),
        ops.reshape(ds.tensor(), dm.shape().dims()),
        dx);
    if (profiler != null) {
      // The ReLU's backward and the gradient sum of the two paths, as the block's output ReLU.
      profiler.record(
          out.name(), LayerProfiler.Phase.BACKWARD, (t1 - t0) + (System.nanoTime() - t2));
    }
    return new Activation(dx, dm.shape());
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>(main.parameters());
    if (shortcut != null) {
      p.addAll(shortcut.parameters());
    }
    return p;
  }

  @Override
  public List<WeightLayer> weightLayers() {
    List<WeightLayer> w = new ArrayList<>(main.weightLayers());
    if (shortcut != null) {
      w.addAll(shortcut.weightLayers());
    }
    return w;
  }

  @Override
  public List<ActivationFakeQuant> activationQuantizers() {
    List<ActivationFakeQuant> a = new ArrayList<>(main.activationQuantizers());
    if (shortcut != null) {
      a.addAll(shortcut.activationQuantizers());
    }
    return a;
  }

  @Override
  public void setProfiler(LayerProfiler profiler) {
    this.profiler = profiler;
    main.setProfiler(profiler);
    if (shortcut != null) {
      shortcut.setProfiler(profiler);
    }
  }

  @Override
  public boolean isComposite() {
    return true;
  }

  void foldBatchNorm() {
    main.foldBatchNorm();
    if (shortcut != null) {
      shortcut.foldBatchNorm();
    }
  }

  @Override
  public void release() {
    main.release();
    if (shortcut != null) {
      shortcut.release();
    }
    out.release();
    cache.release();
  }
}
