package org.efqat.api.backend;

/**
 * A handle to a dense FP32 tensor owned by one {@link Backend}, row-major (C order). Handles are
 * only valid with the backend that made them. {@link #close()} releases native memory early; the
 * backend releases whatever is left when it is closed.
 */
public interface Tensor extends AutoCloseable {

  /**
   * @return the shape, for example {@code [N, C_out]}; a copy
   */
  long[] shape();

  /**
   * @return the number of elements
   */
  default long size() {
    long n = 1;
    for (long d : shape()) {
      n *= d;
    }
    return n;
  }

  /** Releases the tensor; using it afterwards is an error. Closing twice is allowed. */
  @Override
  void close();
}
