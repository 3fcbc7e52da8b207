package org.efqat.models.bert;

import java.util.Map;

/** The pretrained encoders the {@code bert} model can start from. */
final class PretrainedEncoders {
  private PretrainedEncoders() {}

  /**
   * @param layers the encoder layers to keep, from the first
   * @return all-MiniLM-L6-v2's encoder weights by parameter name
   */
  static Map<String, float[]> allMiniLmL6V2(int layers) {
    throw new UnsupportedOperationException("the ONNX weight reader is not merged yet");
  }
}
