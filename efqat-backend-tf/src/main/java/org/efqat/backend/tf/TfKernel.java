package org.efqat.backend.tf;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * One TensorFlow operation of the backend as a subgraph built once for its signature and run as one
 * session call: placeholders for the tensors it reads, placeholders for the per-call parameters
 * (scalars such as a gemm's {@code alpha} or a quantizer's step, per-channel vectors, row indices),
 * and the outputs it fetches.
 *
 * <p>Where tensors live depends on the backend's {@link TfBackendConfig kernel placement}:
 *
 * <ul>
 *   <li>On the host, tensor inputs are fed with the storages' native tensors as they are, without a
 *       copy, through a placeholder of unknown shape and an in-graph {@code Reshape} to the reading
 *       handle's shape. An output never shares its buffer with an input, because {@link
 *       TfStorage#write} writes in place: every output is fetched through {@code Snapshot}, which
 *       passes on a buffer the kernel made at no cost but copies one that TensorFlow forwarded from
 *       a fed tensor (a reduction over size-1 dimensions, for example, returns its input's buffer).
 *   <li>In the session ({@link TfStorage#resident()}), a storage holds the string handle of a
 *       persistent tensor the session keeps (TensorFlow's session-handle mechanism): an input is
 *       fed the handle and read with {@code GetSessionTensor}, an output that stays on the backend
 *       is stored with {@code GetSessionHandle} and only its handle is fetched. The values stay
 *       where the kernel placed them (device memory on a GPU) from one session run to the next;
 *       only the handles, per-call parameters and downloaded outputs cross. Nothing writes a stored
 *       tensor in place, so no {@code Snapshot} is needed.
 * </ul>
 *
 * <p>The parameters are fed from native tensors this kernel owns and overwrites in place on every
 * call, so a call allocates nothing but its outputs (and the variable-length FP64/INT64 feeds of
 * the kernels that declare them).
 */
final class TfKernel implements AutoCloseable {
  /** TensorFlow's op that stores a tensor in the session and outputs its string handle. */
  private static final String STORE_OP = "GetSessionHandle";

  private final Session session;
  private final List<Operand<?>> inputs;
  private final List<Operand<TFloat32>> parameterInputs;
  private final TFloat32[] parameters;
  private final Operand<TInt32> indexInput;
  private final List<Operand<?>> callFeeds;
  private final List<Operand<TFloat32>> outputs;
  private final List<Operand<?>> stored;
  private TInt32 index;

  private TfKernel(
      Session session, Builder built, List<Operand<TFloat32>> outputs, List<Operand<?>> stored) {
    this.session = session;
    this.inputs = List.copyOf(built.inputs);
    this.parameterInputs = List.copyOf(built.parameterInputs);
    this.parameters = built.parameters.toArray(new TFloat32[0]);
    this.indexInput = built.indexInput;
    this.callFeeds = List.copyOf(built.callFeeds);
    this.outputs = List.copyOf(outputs);
    this.stored = List.copyOf(stored);
  }

  /**
   * Builds a kernel into the session's graph.
   *
   * @param session the session, whose graph {@code tf} builds into
   * @param tf the ops to build with (a fresh name scope)
   * @param resident whether tensors live in the session (read and stored by handle) rather than in
   *     host buffers
   * @param body declares the feeds and returns the outputs
   * @return the kernel
   */
  static TfKernel build(Session session, Ops tf, boolean resident, Body body) {
    Builder b = new Builder(tf, resident);
    try {
      List<Operand<TFloat32>> outputs = new ArrayList<>();
      List<Operand<?>> stored = new ArrayList<>();
      for (Operand<TFloat32> o : body.build(b)) {
        if (resident) {
          outputs.add(o);
          stored.add(store(tf, o));
        } else {
          Operand<TFloat32> copy = tf.snapshot(o);
          outputs.add(copy);
          stored.add(copy);
        }
      }
      return new TfKernel(session, b, outputs, stored);
    } catch (RuntimeException | Error e) {
      b.parameters.forEach(TFloat32::close);
      throw e;
    }
  }

  /**
   * {@code GetSessionHandle(o)}: stores {@code o} in the session, outputs its string handle. Built
   * by name because TensorFlow Java's {@code Ops.getSessionHandle} builds {@code
   * GetSessionHandleV2}, whose resource-typed handle a session run cannot fetch into Java.
   */
  private static Output<TString> store(Ops tf, Operand<TFloat32> o) {
    @SuppressWarnings("unchecked")
    Output<TString> handle =
        (Output<TString>)
            (Output<?>)
                tf.scope()
                    .env()
                    .opBuilder(STORE_OP, tf.scope().makeOpName("store"), tf.scope())
                    .addInput(o.asOutput())
                    .build()
                    .output(0);
    return handle;
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
    private final boolean resident;
    private final List<Operand<?>> inputs = new ArrayList<>();
    private final List<Operand<TFloat32>> parameterInputs = new ArrayList<>();
    private final List<TFloat32> parameters = new ArrayList<>();
    private final List<Operand<?>> callFeeds = new ArrayList<>();
    private Operand<TInt32> indexInput;

    private Builder(Ops tf, boolean resident) {
      this.tf = tf;
      this.resident = resident;
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
      Operand<TFloat32> values;
      if (resident) {
        Placeholder<TString> handle = tf.placeholder(TString.class);
        inputs.add(handle);
        values = tf.getSessionTensor(handle, TFloat32.class);
      } else {
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class);
        inputs.add(p);
        values = p;
      }
      return tf.reshape(values, tf.constant(shape));
    }

    /**
     * @return the next per-call host feed of FP32 values, any shape (an upload's data)
     */
    Operand<TFloat32> hostFloats() {
      return callFeed(TFloat32.class);
    }

    /**
     * @return the next per-call feed of FP64 values, a vector of any length (one value: a scalar
     *     that broadcasts)
     */
    Operand<TFloat64> doubles() {
      return callFeed(TFloat64.class);
    }

    /**
     * @return the next per-call feed of INT64 values, a vector of any length
     */
    Operand<TInt64> longs() {
      return callFeed(TInt64.class);
    }

    private <T extends org.tensorflow.types.family.TType> Operand<T> callFeed(Class<T> type) {
      Placeholder<T> p = tf.placeholder(type);
      callFeeds.add(p);
      return p;
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
    private final Tensor[] fed = new Tensor[callFeeds.size()];
    private int inputCount;
    private int parameterCount;
    private int fedCount;
    private boolean indexed;

    private Call() {}

    /**
     * @param values the next host feed of FP32 values (an upload), owned by the caller
     * @return this call
     */
    Call host(TFloat32 values) {
      fed[fedCount++] = values;
      return this;
    }

    /**
     * @param values the next FP64 feed; copied into a tensor this call closes after its run
     * @return this call
     */
    Call doubles(double... values) {
      fed[fedCount++] = TFloat64.vectorOf(values);
      return this;
    }

    /**
     * @param values the next INT64 feed; copied into a tensor this call closes after its run
     * @return this call
     */
    Call longs(long... values) {
      fed[fedCount++] = TInt64.vectorOf(values);
      return this;
    }

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
      int storedCount = out == null ? 0 : 1;
      check(storedCount + downloads.length);
      try {
        deliver(execute(storedCount), out == null ? null : out.storage(), downloads);
      } finally {
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(out);
      }
    }

    /**
     * Runs a kernel with one output that stays on the backend, for a new storage.
     *
     * @return the output as a storage holds it (a host tensor, or a session handle), owned by the
     *     caller
     */
    Tensor produce() {
      check(1);
      try {
        return execute(1)[0];
      } finally {
        Reference.reachabilityFence(in);
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
        Tensor[] fetched = execute(outs.length);
        try {
          for (int i = 0; i < targets.length; i++) {
            Tensor next = fetched[i];
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
          || fedCount != fed.length
          || outputCount != outputs.size()) {
        closeOwnedFeeds();
        throw new IllegalStateException("kernel call does not match its declaration");
      }
    }

    /**
     * @param storedCount how many outputs, from the first, stay on the backend; the others are
     *     fetched as values
     * @return the fetched outputs, which the caller owns
     */
    private Tensor[] execute(int storedCount) {
      try {
        Session.Runner runner = session.runner();
        for (int i = 0; i < in.length; i++) {
          runner.feed(inputs.get(i), in[i].storage().value());
        }
        for (int i = 0; i < parameters.length; i++) {
          runner.feed(parameterInputs.get(i), parameters[i]);
        }
        if (indexInput != null) {
          runner.feed(indexInput, index);
        }
        for (int i = 0; i < fed.length; i++) {
          runner.feed(callFeeds.get(i), fed[i]);
        }
        for (int i = 0; i < outputs.size(); i++) {
          runner.fetch(i < storedCount ? stored.get(i) : outputs.get(i));
        }
        Result result = runner.run();
        Tensor[] fetched = new Tensor[result.size()];
        for (int i = 0; i < fetched.length; i++) {
          fetched[i] = result.get(i);
        }
        return fetched;
      } finally {
        closeOwnedFeeds();
      }
    }

    /** Closes the FP64/INT64 feeds this call made; host FP32 feeds belong to the caller. */
    private void closeOwnedFeeds() {
      for (Tensor t : fed) {
        if (t != null && !(t instanceof TFloat32)) {
          t.close();
        }
      }
    }

    private void deliver(Tensor[] fetched, TfStorage target, float[][] downloads) {
      int next = 0;
      try {
        if (target != null) {
          Tensor first = fetched[next];
          fetched[next++] = null;
          target.replace(first);
        }
        for (float[] d : downloads) {
          if (d.length > 0) {
            ((TFloat32) fetched[next]).copyTo(DataBuffers.of(d, false, false));
          }
          next++;
        }
      } finally {
        closeAll(fetched);
      }
    }

    private static void closeAll(Tensor[] fetched) {
      for (Tensor t : fetched) {
        if (t != null) {
          t.close();
        }
      }
    }
  }
}
