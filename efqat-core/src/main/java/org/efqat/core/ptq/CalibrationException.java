package org.efqat.core.ptq;

/** PTQ calibration cannot go on; the message names the layer and the input or weight row. */
public final class CalibrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the layer
   */
  public CalibrationException(String message) {
    super(message);
  }
}
