package org.efqat.core.nn.transformer;

import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.TensorCache;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.profile.LayerProfiler;

/**
 * A post-norm residual sub-layer of BERT, {@code y = LayerNorm(x + f(x))}: the attention block
 * ({@code f} = self-attention, output projection, dropout) and the feed-forward block ({@code f} =
 * intermediate projection, GELU, output projection, dropout). Shapes are those of {@code x}; the
 * backward pass is {@code dx = ds + f'(ds)} with {@code ds} the LayerNorm's input gradient.
 */
public final class PostNormResidual implements Layer {
  private final String name;
  private final Sequential inner;
  private final LayerNorm norm;
  private final TensorCache cache;
  private LayerProfiler profiler;
  private FeatureShape lastShape;

  /**
   * @param backend where it computes
   * @param name a name for messages and timings
   * @param inner {@code f}, keeping the shape
   * @param norm the LayerNorm after the sum
   */
  public PostNormResidual(Backend backend, String name, Sequential inner, LayerNorm norm) {
    this.name = name;
    this.inner = inner;
    this.norm = norm;
    this.cache = new TensorCache(backend);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return {@code f}
   */
  public Sequential inner() {
    return inner;
  }

  /**
   * @return the LayerNorm after the sum
   */
  public LayerNorm norm() {
    return norm;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    TensorOps ops = cache.backend().ops();
    FeatureShape s = input.shape();
    Activation f = inner.forward(input, training);
    Tensor sum = cache.get("sum", s.dims());
    ops.add(ops.reshape(input.tensor(), s.dims()), ops.reshape(f.tensor(), s.dims()), sum);
    lastShape = s;
    long t0 = System.nanoTime();
    Activation y = norm.forward(new Activation(sum, s), training);
    record(LayerProfiler.Phase.FORWARD, t0);
    return y;
  }

  @Override
  public Activation backward(Activation gradOutput) {
    TensorOps ops = cache.backend().ops();
    long t0 = System.nanoTime();
    Activation ds = norm.backward(gradOutput);
    record(LayerProfiler.Phase.BACKWARD, t0);
    Activation df = inner.backward(ds);
    if (df == null) {
      return null;
    }
    Tensor dx = cache.get("input_grad", lastShape.dims());
    ops.add(
        ops.reshape(ds.tensor(), lastShape.dims()), ops.reshape(df.tensor(), lastShape.dims()), dx);
    return new Activation(dx, lastShape);
  }

  private void record(LayerProfiler.Phase phase, long start) {
    if (profiler != null) {
      profiler.record(norm.name(), phase, System.nanoTime() - start);
    }
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>(inner.parameters());
    p.addAll(norm.parameters());
    return p;
  }

  @Override
  public List<WeightLayer> weightLayers() {
    return inner.weightLayers();
  }

  @Override
  public List<ActivationFakeQuant> activationQuantizers() {
    return inner.activationQuantizers();
  }

  @Override
  public void setInputGradNeeded(boolean needed) {
    inner.setInputGradNeeded(needed);
  }

  @Override
  public void setTrainingStep(long step) {
    inner.setTrainingStep(step);
  }

  @Override
  public void setProfiler(LayerProfiler profiler) {
    this.profiler = profiler;
    inner.setProfiler(profiler);
  }

  @Override
  public boolean isComposite() {
    return true;
  }

  @Override
  public void release() {
    inner.release();
    norm.release();
    cache.release();
  }
}
