package org.efqat.backend.tf;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One TensorFlow operation of the backend as a subgraph built once for its signature and run as one
 * session call: placeholders for the tensors it reads, placeholders for the per-call parameters
 * (scalars such as a gemm's {@code alpha} or a quantizer's step, per-channel vectors, row indices),
 * and the outputs it fetches.
 *
 * <p>Tensor inputs are fed with the storages' native tensors as they are, without a copy, through a
 * placeholder of unknown shape and an in-graph {@code Reshape} to the reading handle's shape. The
 * parameters are fed from native tensors this kernel owns and overwrites in place on every call, so
 * a call allocates nothing but its outputs.
 *
 * <p>An output never shares its buffer with an input, because {@link TfStorage#write} writes in
 * place: every output is fetched through {@code Snapshot}, which passes on a buffer the kernel made
 * at no cost but copies one that TensorFlow forwarded from a fed tensor (a reduction over size-1
 * dimensions, for example, returns its input's buffer).
 */
final class TfKernel implements AutoCloseable {
  private final Session session;
  private final List<Operand<TFloat32>> inputs;
  private final List<Operand<TFloat32>> parameterInputs;
  private final TFloat32[] parameters;
  private final Operand<TInt32> indexInput;
  private final List<Operand<TFloat32>> outputs;
  private TInt32 index;

  private TfKernel(Session session, Builder built, List<Operand<TFloat32>> outputs) {
    this.session = session;
    this.inputs = List.copyOf(built.inputs);
    this.parameterInputs = List.copyOf(built.parameterInputs);
    this.parameters = built.parameters.toArray(new TFloat32[0]);
    this.indexInput = built.indexInput;
    this.outputs = List.copyOf(outputs);
  }

  /**
   * Builds a kernel into the session's graph.
   *
   * @param session the session, whose graph {@code tf} builds into
   * @param tf the ops to build with (a fresh name scope)
   * @param body declares the feeds and returns the outputs
   * @return the kernel
   */
  static TfKernel build(Session session, Ops tf, Body body) {
    Builder b = new Builder(tf);
    try {
      List<Operand<TFloat32>> outputs = new ArrayList<>();
      for (Operand<TFloat32> o : body.build(b)) {
        outputs.add(tf.snapshot(o));
      }
      return new TfKernel(session, b, outputs);
    } catch (RuntimeException | Error e) {
      b.parameters.forEach(TFloat32::close);
      throw e;
    }
  }

  /**
   * @return a call to fill in: tensor inputs and parameters, each in the order declared
   */
  Call call() {
    return new Call();
  }

  /**
   * @return the native tensors this kernel owns (its parameter and index feeds)
   */
  int ownedTensors() {
    return parameters.length + (index == null ? 0 : 1);
  }

  @Override
  public void close() {
    for (TFloat32 p : parameters) {
      p.close();
    }
    if (index != null) {
      index.close();
      index = null;
    }
  }

  /** Builds a kernel's subgraph: declares what it reads; the order is the order of a call. */
  interface Body {
    /**
     * @param b declares the inputs and parameters
     * @return the outputs to fetch
     */
    List<Operand<TFloat32>> build(Builder b);
  }

  /** The declarations of a kernel under construction. */
  static final class Builder {
    private final Ops tf;
    private final List<Operand<TFloat32>> inputs = new ArrayList<>();
    private final List<Operand<TFloat32>> parameterInputs = new ArrayList<>();
    private final List<TFloat32> parameters = new ArrayList<>();
    private Operand<TInt32> indexInput;

    private Builder(Ops tf) {
      this.tf = tf;
    }

    /**
     * @return the ops to build with
     */
    Ops tf() {
      return tf;
    }

    /**
     * @param shape the shape to read the tensor in (its element count must match)
     * @return the next tensor input, reshaped to {@code shape}
     */
    Operand<TFloat32> input(long... shape) {
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class);
      inputs.add(p);
      return tf.reshape(p, tf.constant(shape));
    }

    /**
     * @return the next parameter, a scalar
     */
    Operand<TFloat32> scalar() {
      return parameter(TFloat32.scalarOf(0f));
    }

    /**
     * @param length its length
     * @return the next parameter, a vector
     */
    Operand<TFloat32> vector(int length) {
      return parameter(TFloat32.tensorOf(Shape.of(length)));
    }

    /**
     * @return the row indices, an int32 vector of any length (at most one per kernel)
     */
    Operand<TInt32> indices() {
      if (indexInput != null) {
        throw new IllegalStateException("a kernel has at most one index input");
      }
      indexInput = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
      return indexInput;
    }

    private Operand<TFloat32> parameter(TFloat32 value) {
      parameters.add(value);
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(value.shape()));
      parameterInputs.add(p);
      return p;
    }
  }

  /**
   * One run of the kernel. Inputs and parameters are given in the order the body declared them;
   * {@link #run} feeds them, fetches the outputs, and keeps every input handle reachable (so no
   * {@link java.lang.ref.Cleaner} frees a native tensor TensorFlow is reading).
   */
  final class Call {
    private final TfTensor[] in = new TfTensor[inputs.size()];
    private int inputCount;
    private int parameterCount;
    private boolean indexed;

    private Call() {}

    /**
     * @param t the next tensor input
     * @return this call
     */
    Call in(TfTensor t) {
      in[inputCount++] = t;
      return this;
    }

    /**
     * @param value the next parameter, a scalar
     * @return this call
     */
    Call scalar(float value) {
      parameters[parameterCount++].setFloat(value);
      return this;
    }

    /**
     * @param values the next parameter, a vector of the declared length
     * @return this call
     */
    Call vector(float[] values) {
      parameters[parameterCount++].copyFrom(DataBuffers.of(values, true, false));
      return this;
    }

    /**
     * @param rows the row indices; the kernel's index tensor is rewritten in place when the length
     *     is unchanged
     * @return this call
     */
    Call indices(int[] rows) {
      if (index == null || index.shape().size() != rows.length) {
        TInt32 next = TInt32.vectorOf(rows);
        if (index != null) {
          index.close();
        }
        index = next;
      } else {
        index.copyFrom(DataBuffers.of(rows, true, false));
      }
      indexed = true;
      return this;
    }

    /**
     * Runs the kernel.
     *
     * @param out receives the first output in its storage (its old native tensor is closed), or
     *     {@code null} when every output is downloaded
     * @param downloads receive the remaining outputs, in order; those native tensors are closed
     */
    void run(TfTensor out, float[]... downloads) {
      check((out == null ? 0 : 1) + downloads.length);
      try {
        deliver(execute(), out == null ? null : out.storage(), downloads);
      } finally {
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(out);
      }
    }

    /**
     * Runs a kernel with several outputs that all stay on the backend.
     *
     * @param outs receive the outputs in order, each in its storage (their old native tensors are
     *     closed); distinct storages
     */
    void runInto(TfTensor... outs) {
      check(outs.length);
      try {
        TfStorage[] targets = new TfStorage[outs.length];
        for (int i = 0; i < outs.length; i++) {
          targets[i] = outs[i].storage();
        }
        TFloat32[] fetched = execute();
        try {
          for (int i = 0; i < targets.length; i++) {
            TFloat32 next = fetched[i];
            fetched[i] = null;
            targets[i].replace(next);
          }
        } finally {
          closeAll(fetched);
        }
      } finally {
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(outs);
      }
    }

    private void check(int outputCount) {
      if (inputCount != in.length
          || parameterCount != parameters.length
          || indexed != (indexInput != null)
          || outputCount != outputs.size()) {
        throw new IllegalStateException("kernel call does not match its declaration");
      }
    }

    /**
     * @return the fetched outputs, which the caller owns
     */
    private TFloat32[] execute() {
      Session.Runner runner = session.runner();
      for (int i = 0; i < in.length; i++) {
        runner.feed(inputs.get(i), in[i].storage().tensor());
      }
      for (int i = 0; i < parameters.length; i++) {
        runner.feed(parameterInputs.get(i), parameters[i]);
      }
      if (indexInput != null) {
        runner.feed(indexInput, index);
      }
      for (Operand<TFloat32> o : outputs) {
        runner.fetch(o);
      }
      Result result = runner.run();
      TFloat32[] fetched = new TFloat32[result.size()];
      for (int i = 0; i < fetched.length; i++) {
        fetched[i] = (TFloat32) result.get(i);
      }
      return fetched;
    }

    private void deliver(TFloat32[] fetched, TfStorage target, float[][] downloads) {
      int next = 0;
      try {
        if (target != null) {
          TFloat32 first = fetched[next];
          fetched[next++] = null;
          target.replace(first);
        }
        for (float[] d : downloads) {
          if (d.length > 0) {
            fetched[next].copyTo(DataBuffers.of(d, false, false));
          }
          next++;
        }
      } finally {
        closeAll(fetched);
      }
    }

    private static void closeAll(TFloat32[] fetched) {
      for (TFloat32 t : fetched) {
        if (t != null) {
          t.close();
        }
      }
    }
  }
}
