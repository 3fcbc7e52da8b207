package org.efqat.core.nn;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;

/**
 * A per-tensor fake quantizer on an activation that is not a weight layer's input, for example an
 * operand of attention's weightless matmuls. It is the input quantizer of DESIGN.md 1.1 on its own:
 * asymmetric, unsigned {@code b_a} bits, learnable step {@code s} and zero point {@code z},
 *
 * <pre>
 *   forward   x̂ = s·(clamp(round(x/s) + z, 0, 2^b_a − 1) − z)
 *   backward  dx = dx̂·[x inside the range]  (straight-through),
 *             ds, dz = LSQ / LSQ+ sums over dx̂, scaled by 1/√(numel·qmax)
 * </pre>
 *
 * computed by the backend's {@code fakeQuantize} / {@code fakeQuantizeBackward} kernels for affine
 * quantizers (else through the quantizer's heap implementation).
 *
 * <p>It is the identity, and has no parameters, until PTQ calibration ({@code PtqCalibrator}) finds
 * it through {@link Layer#activationQuantizers()}, watches its input with {@link #setObserver} and
 * calls {@link #quantize}. From then on it owns {@code <name>.step [1]} ({@link
 * ParamKind#ACTIVATION_STEP}) and {@code <name>.zero_point [1]} ({@link
 * ParamKind#ACTIVATION_ZERO_POINT}), which the owning layer lists in its {@link Layer#parameters()}
 * (so {@code efqat.alwaysTrain.activationQuantizers} trains them).
 */
public final class ActivationFakeQuant {
  private final String name;
  private final TensorCache cache;
  private Quantizer quantizer;
  private Parameter step;
  private Parameter zeroPoint;
  private Consumer<Activation> observer;
  private boolean bypassed;
  private Tensor lastInput;
  private long[] lastDims;

  /**
   * @param backend where it computes
   * @param name the checkpoint prefix of its parameters, e.g. {@code
   *     encoder.layer.0.attention.self.query_act}
   */
  public ActivationFakeQuant(Backend backend, String name) {
    this.name = Objects.requireNonNull(name, "name is null");
    this.cache = new TensorCache(Objects.requireNonNull(backend, "backend is null"));
  }

  /**
   * @return the checkpoint prefix
   */
  public String name() {
    return name;
  }

  /**
   * @return whether {@link #quantize} was called
   */
  public boolean isQuantized() {
    return quantizer != null;
  }

  /**
   * @return the quantizer, or {@code null} while full precision
   */
  public Quantizer quantizer() {
    return quantizer;
  }

  /**
   * @return {@code <name>.step}, or {@code null} while full precision
   */
  public Parameter step() {
    return step;
  }

  /**
   * @return {@code <name>.zero_point}, or {@code null} while full precision
   */
  public Parameter zeroPoint() {
    return zeroPoint;
  }

  /**
   * @param observer sees every input before quantization (PTQ calibration), or {@code null}
   */
  public void setObserver(Consumer<Activation> observer) {
    this.observer = observer;
  }

  /**
   * Makes the quantizer the identity while {@code true} (parameters kept), so that a quantized
   * network can run in full precision for a while; see {@link Network#setQuantizationBypassed}.
   *
   * @param bypassed whether to skip fake quantization
   */
  public void setQuantizationBypassed(boolean bypassed) {
    this.bypassed = bypassed;
  }

  /**
   * @return whether fake quantization is currently skipped
   */
  public boolean isQuantizationBypassed() {
    return bypassed;
  }

  /**
   * Turns on fake quantization with calibrated parameters (PTQ, DESIGN.md 1.3).
   *
   * @param q a per-tensor quantizer
   * @param params its parameters, one group
   */
  public void quantize(Quantizer q, QuantParams params) {
    Objects.requireNonNull(q, "q is null");
    if (params.groups() != 1) {
      throw new IllegalArgumentException(
          name + ": expected 1 quantizer group (per tensor), got " + params.groups());
    }
    this.quantizer = q;
    step = new Parameter(name + ".step", ParamKind.ACTIVATION_STEP, params.step().clone(), 1);
    zeroPoint =
        new Parameter(
            name + ".zero_point", ParamKind.ACTIVATION_ZERO_POINT, params.zeroPoint().clone(), 1);
  }

  /**
   * @param input the activation, of any shape
   * @param training whether to keep the input for {@link #backward}
   * @return {@code x̂} in a buffer of this quantizer, shaped like {@code input}; {@code input}
   *     itself while full precision or bypassed
   */
  public Activation forward(Activation input, boolean training) {
    if (observer != null) {
      observer.accept(input);
    }
    if (quantizer == null || bypassed) {
      lastInput = null;
      return input;
    }
    TensorOps ops = cache.backend().ops();
    long[] dims = input.shape().dims();
    Tensor x = ops.reshape(input.tensor(), dims);
    Tensor out = cache.get("output", dims);
    ActivationQuantizer.forward(ops, quantizer, LayerQuantization.view(step, zeroPoint), x, out);
    if (training) {
      lastInput = x;
      lastDims = dims;
    }
    return new Activation(out, input.shape());
  }

  /**
   * Applies the straight-through gradient in place and adds the step and zero-point gradients to
   * {@link Parameter#grad()}. A no-op while full precision, and after a forward pass that was
   * bypassed.
   *
   * @param gradOutput {@code dx̂}, the same size as the last training forward's input; overwritten
   *     with {@code dx}
   * @return {@code gradOutput}, now holding {@code dx}
   */
  public Tensor backward(Tensor gradOutput) {
    if (quantizer == null || (bypassed && lastInput == null)) {
      return gradOutput;
    }
    if (lastInput == null) {
      throw new IllegalStateException(name + ": backward without a training forward pass");
    }
    TensorOps ops = cache.backend().ops();
    Tensor g = ops.reshape(gradOutput, lastDims);
    float[] sums =
        ActivationQuantizer.backward(
            ops, quantizer, LayerQuantization.view(step, zeroPoint), lastInput, g, g);
    step.grad()[0] += sums[0];
    zeroPoint.grad()[0] += sums[1];
    lastInput = null;
    return gradOutput;
  }

  /**
   * @return {@code [step, zero_point]} once quantized, else empty
   */
  public List<Parameter> parameters() {
    return quantizer == null ? List.of() : List.of(step, zeroPoint);
  }

  /** Releases backend buffers. */
  public void release() {
    cache.release();
  }
}
