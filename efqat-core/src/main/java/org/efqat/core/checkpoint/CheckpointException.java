package org.efqat.core.checkpoint;

/**
 * A checkpoint cannot be read, written or does not match the model.
 *
 * <p>Unchecked: a damaged or mismatched checkpoint is not something a training or evaluation run
 * can recover from, so callers rarely catch it; the message says what is wrong, naming the file and
 * the tensor (for example {@code model.safetensors: fc.weight: data_offsets [0, 100] hold 100 bytes
 * but shape [10, 64] of F32 needs 2560}). An underlying {@link java.io.IOException} is kept as the
 * cause.
 */
public final class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the file and the tensor
   */
  public CheckpointException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the file and the tensor
   * @param cause the underlying error
   */
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
