package org.efqat.api.backend;

import java.util.Set;
import org.apiguardian.api.API;

/**
 * A compute backend: the math kernels core runs on. Kept small; groups of operations are views such
 * as {@link #ops()} and optional abilities are {@link #capabilities()}.
 *
 * <p>A backend owns the native resources of the tensors it made; {@link #close()} releases them.
 * Not thread-safe: one training loop uses one backend.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Backend extends AutoCloseable {

  /**
   * @return the provider's name, for example {@code "nd4j"}
   */
  String name();

  /**
   * @return the version of the underlying library, for provenance
   */
  String version();

  /**
   * @return where it computes, for example {@code "cpu (2 threads)"}
   */
  String device();

  /**
   * @return the optional abilities
   */
  Set<BackendCapability> capabilities();

  /**
   * @return the dense FP32 kernels
   */
  TensorOps ops();

  /** Releases every native resource of this backend. */
  @Override
  void close();
}
