package org.efqat.backend.tf;

import java.util.EnumSet;
import java.util.Set;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.TensorOps;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

/**
 * The TensorFlow Java backend in graph mode: one {@link Graph} and one {@link Session} that this
 * backend owns, each operation a {@link TfKernel} built into the graph once per signature, and
 * every tensor an explicitly owned native tensor ({@link TfStorage}). A training step therefore
 * allocates only its kernels' outputs, each of which replaces (and at once frees) the buffer it
 * overwrites; {@link #close()} frees every tensor, then the session, then the graph.
 *
 * <p>The session uses one intra-op thread per available processor for the kernels' own parallelism
 * and runs every kernel's ops in the calling thread ({@code inter_op_parallelism_threads = -1}: the
 * backend runs one kernel at a time, and handing each run to an inter-op pool thread costs about 13
 * µs a call). It allows soft placement, so a GPU build of the native library also works.
 *
 * <p>With {@code kernels: device} (the default when TensorFlow lists a GPU) tensors stay in the
 * session between kernel calls, read and stored by handle ({@link TfKernel}), and every kernel is a
 * graph operation ({@link TfDeviceKernels}), so on a GPU no training step copies an activation or a
 * parameter to the host and back.
 */
public final class TfBackend implements Backend {
  /** The name YAML uses: {@code backend: tf}. */
  public static final String NAME = "tf";

  /** {@code inter_op_parallelism_threads} below zero: a session runs its ops in the caller. */
  private static final int RUN_IN_CALLER_THREAD = -1;

  private final int threads;
  private final long gpus;
  private final Graph graph;
  private final Session session;
  private final TfMemory memory;
  private final TfKernels kernels;
  private final TensorOps ops;
  private final boolean deviceKernels;
  private boolean closed;

  /** A backend whose tensors are host buffers ({@code kernels: host}). */
  TfBackend() {
    this(false);
  }

  /**
   * @param deviceKernels whether tensors stay in the session and every kernel is a graph operation
   *     ({@code kernels: device}), else host buffers and Java passes where those are faster
   */
  TfBackend(boolean deviceKernels) {
    this(deviceKernels, gpuCount());
  }

  private TfBackend(boolean deviceKernels, long gpus) {
    this.deviceKernels = deviceKernels;
    this.gpus = gpus;
    threads = Runtime.getRuntime().availableProcessors();
    graph = new Graph();
    try {
      session =
          new Session(
              graph,
              ConfigProto.newBuilder()
                  .setIntraOpParallelismThreads(threads)
                  .setInterOpParallelismThreads(RUN_IN_CALLER_THREAD)
                  .setAllowSoftPlacement(true)
                  .build());
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
    memory = new TfMemory();
    kernels = new TfKernels(graph, session, deviceKernels, memory);
    ops = new TfTensorOps(this, kernels);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return TensorFlow.version();
  }

  @Override
  public String device() {
    if (gpus > 0) {
      return "gpu (graph, "
          + gpus
          + " GPU"
          + (gpus > 1 ? "s" : "")
          + ", "
          + threads
          + " threads, "
          + (deviceKernels ? "tensors in the session" : "tensors and some kernels on the host")
          + ")";
    }
    return "cpu (graph, "
        + threads
        + " threads"
        + (deviceKernels ? ", tensors in the session" : "")
        + ")";
  }

  /**
   * @param config the options
   * @return a backend with the kernel placement {@code config} asks for on the devices TensorFlow
   *     lists
   */
  static TfBackend create(TfBackendConfig config) {
    long gpus = gpuCount();
    return new TfBackend(config.deviceKernels(gpus > 0), gpus);
  }

  private static long gpuCount() {
    return TfDevices.types().stream().filter("GPU"::equals).count();
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return EnumSet.of(BackendCapability.DIRECT_CONVOLUTION);
  }

  @Override
  public TensorOps ops() {
    return ops;
  }

  /** Frees every tensor of this backend, then its kernels' feeds, session and graph. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    memory.close();
    kernels.close();
    session.close();
    graph.close();
  }

  TfMemory memory() {
    return memory;
  }

  /**
   * @return the native tensors open now: tensor storages and the kernels' parameter feeds
   */
  int liveNativeTensors() {
    kernels.deleteDiscarded(true);
    return memory.openTensors() + kernels.ownedTensors();
  }

  /**
   * @return the number of kernels built in the graph
   */
  int kernelCount() {
    return kernels.size();
  }

  /**
   * @return the number of operations in the graph
   */
  int graphOperations() {
    return closed ? 0 : kernels.graphOperations();
  }
}
