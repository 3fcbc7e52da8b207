package org.efqat.backend.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.DeleteSessionTensor;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TString;

/**
 * The kernels built so far in a backend's graph, one per {@link Signature}: an operation, the
 * shapes it reads and writes, and its static attributes (convolution geometry, transpose flags,
 * which optional terms it has). Values that change from call to call are fed, never built into the
 * graph, so the graph stops growing once every signature of a training step has run once.
 *
 * <p>When tensors live in the session, this is also where freed session tensors are deleted: in
 * batches of {@value #DELETE_BATCH} handles per session run ({@code DeleteSessionTensor}), before
 * the next kernel is handed out, so at most that many freed tensors wait at any time.
 */
final class TfKernels implements AutoCloseable {
  /** Freed session tensors deleted per session run. */
  static final int DELETE_BATCH = 16;

  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final boolean resident;
  private final TfMemory memory;
  private final Map<Signature, TfKernel> built = new HashMap<>();
  private final List<Placeholder<TString>> deleteFeeds = new ArrayList<>();
  private final List<DeleteSessionTensor> deletes = new ArrayList<>();
  private boolean closed;

  /**
   * @param graph the graph to build into
   * @param session a session on {@code graph}
   * @param resident whether tensors live in the session (see {@link TfKernel})
   * @param memory the ledger whose freed session tensors this deletes
   */
  TfKernels(Graph graph, Session session, boolean resident, TfMemory memory) {
    this.graph = graph;
    this.session = session;
    this.tf = Ops.create(graph);
    this.resident = resident;
    this.memory = memory;
  }

  /**
   * @return whether tensors live in the session
   */
  boolean resident() {
    return resident;
  }

  /**
   * @param signature what identifies the kernel; its first part names the operation
   * @param body builds the kernel the first time the signature is seen
   * @return the kernel
   */
  TfKernel get(Signature signature, TfKernel.Body body) {
    if (resident && memory.discardedCount() >= DELETE_BATCH) {
      deleteDiscarded(false);
    }
    TfKernel k = built.get(signature);
    if (k == null) {
      if (closed) {
        throw new IllegalStateException("the tf backend is closed");
      }
      k = TfKernel.build(session, tf.withSubScope(signature.operation()), resident, body);
      built.put(signature, k);
    }
    return k;
  }

  /**
   * Deletes freed session tensors from the session.
   *
   * @param all every queued one; else full batches only
   */
  void deleteDiscarded(boolean all) {
    if (closed) {
      return;
    }
    while (memory.discardedCount() >= (all ? 1 : DELETE_BATCH)) {
      List<String> handles = memory.takeDiscarded(DELETE_BATCH);
      if (handles.isEmpty()) {
        return;
      }
      while (deletes.size() < handles.size()) {
        Ops scope = tf.withSubScope("deleteSessionTensor");
        Placeholder<TString> feed = scope.placeholder(TString.class);
        deleteFeeds.add(feed);
        deletes.add(scope.deleteSessionTensor(feed));
      }
      List<TString> fed = new ArrayList<>(handles.size());
      try {
        Session.Runner runner = session.runner();
        for (int i = 0; i < handles.size(); i++) {
          TString h = TString.scalarOf(handles.get(i));
          fed.add(h);
          runner.feed(deleteFeeds.get(i), h).addTarget(deletes.get(i));
        }
        runner.run().close();
      } finally {
        fed.forEach(TString::close);
      }
    }
  }

  /**
   * @return the number of kernels built
   */
  int size() {
    return built.size();
  }

  /**
   * @return the number of operations in the graph
   */
  int graphOperations() {
    int n = 0;
    for (Iterator<?> it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /**
   * @return the native tensors the kernels own (their parameter feeds)
   */
  int ownedTensors() {
    int n = 0;
    for (TfKernel k : built.values()) {
      n += k.ownedTensors();
    }
    return n;
  }

  /** Closes the kernels' own tensors; the graph and session are closed by their owner. */
  @Override
  public void close() {
    closed = true;
    built.values().forEach(TfKernel::close);
    built.clear();
  }

  /**
   * A kernel's identity: an operation name and the shapes and static attributes it was built for,
   * compared by value (arrays included).
   */
  static final class Signature {
    private final Object[] parts;
    private final int hash;

    private Signature(Object[] parts) {
      this.parts = parts;
      this.hash = Arrays.deepHashCode(parts);
    }

    /**
     * @param operation the operation, a valid TensorFlow name scope such as {@code "gemm"}
     * @param attributes shapes ({@code long[]}), flags, geometries, in a fixed order per operation
     * @return the signature
     */
    static Signature of(String operation, Object... attributes) {
      Object[] parts = new Object[attributes.length + 1];
      parts[0] = operation;
      System.arraycopy(attributes, 0, parts, 1, attributes.length);
      return new Signature(parts);
    }

    String operation() {
      return (String) parts[0];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && hash == s.hash && Arrays.deepEquals(parts, s.parts);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return Arrays.deepToString(parts);
    }
  }
}
