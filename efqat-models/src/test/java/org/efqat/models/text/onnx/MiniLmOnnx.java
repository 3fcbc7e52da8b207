package org.efqat.models.text.onnx;

/**
 * all-MiniLM-L6-v2's ONNX file ({@value BertOnnxImporter#MINILM_RESOURCE}) and its imported
 * weights, parsed once per test JVM on first use (about 1 s and 300 MB of heap) and shared by the
 * test classes. Both are immutable (the tensors' arrays must not be written to).
 */
public final class MiniLmOnnx {
  private MiniLmOnnx() {}

  /**
   * @return the parsed file
   */
  public static OnnxModel model() {
    return Holder.MODEL;
  }

  /**
   * @return all 6 layers' weights under PyTorch names
   */
  public static BertOnnxWeights weights() {
    return Holder.WEIGHTS;
  }

  /** Lazy holder: loads on the first call of {@link #model()} or {@link #weights()}. */
  private static final class Holder {
    static final OnnxModel MODEL = OnnxModel.readResource(BertOnnxImporter.MINILM_RESOURCE);
    static final BertOnnxWeights WEIGHTS = BertOnnxImporter.builder().build().importFrom(MODEL);
  }
}
