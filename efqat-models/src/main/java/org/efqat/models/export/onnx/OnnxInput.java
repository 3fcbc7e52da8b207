package org.efqat.models.export.onnx;

/** What an exported model takes as its one input. */
public enum OnnxInput {
  /** FP32 images {@code input [N, C, H, W]}, normalized as the data set normalizes them. */
  IMAGES_NCHW("input"),
  /** INT64 token ids {@code input_ids [N, L]}, 0 for padding. */
  TOKEN_IDS("input_ids");

  private final String valueName;

  OnnxInput(String valueName) {
    this.valueName = valueName;
  }

  /**
   * @return the graph input's name
   */
  public String valueName() {
    return valueName;
  }
}
