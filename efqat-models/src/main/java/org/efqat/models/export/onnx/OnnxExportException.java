package org.efqat.models.export.onnx;

/**
 * A network that cannot be written as ONNX: a layer or quantizer without an ONNX form, an unfolded
 * BatchNorm, a parameter ONNX cannot hold exactly, or an opset too low for what the graph needs.
 * The message is one line that names the layer (its checkpoint name and class) and the reason.
 */
public final class OnnxExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line naming the layer and the reason
   */
  public OnnxExportException(String message) {
    super(message);
  }

  /**
   * @param layer the layer's checkpoint name
   * @param type its class
   * @param problem what is wrong with it
   * @return the exception, {@code layer <name> (<simple class name>): <problem>}
   */
  static OnnxExportException layer(String layer, Class<?> type, String problem) {
    return new OnnxExportException(
        "layer " + layer + " (" + type.getSimpleName() + "): " + problem);
  }
}
