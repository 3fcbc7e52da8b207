package org.efqat.models.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.models.text.onnx.BertOnnxImporter;
import org.efqat.models.text.onnx.BertOnnxWeights;

/** The pretrained encoders the {@code bert} model can start from. */
final class PretrainedEncoders {
  private PretrainedEncoders() {}

  /**
   * Reads all-MiniLM-L6-v2's encoder from the ONNX file on the class path ({@link
   * BertOnnxImporter#minilm()}).
   *
   * @param layers the encoder layers to keep, from the first; at most 6
   * @return the weights by Hugging Face parameter name, Linear weights {@code [out, in]}
   * @throws IllegalArgumentException if {@code layers} is more than the model has
   */
  static Map<String, float[]> allMiniLmL6V2(int layers) {
    BertOnnxWeights weights = BertOnnxImporter.minilm();
    if (layers > weights.config().layers()) {
      throw new IllegalArgumentException(
          "model.architecture.layers: all-minilm-l6-v2 has "
              + weights.config().layers()
              + " layers (was "
              + layers
              + ")");
    }
    Map<String, float[]> byName = new LinkedHashMap<>();
    for (NamedTensor t : weights.firstLayers(layers).tensors().values()) {
      byName.put(t.name(), t.data());
    }
    return byName;
  }
}
