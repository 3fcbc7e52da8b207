package org.efqat.models.export.onnx;

import org.efqat.core.nn.FeatureShape;

/**
 * A tensor of the graph being built.
 *
 * @param name its ONNX value name
 * @param layout how it is laid out in ONNX
 * @param shape its shape in the network's NHWC terms ({@code n} is the symbolic batch)
 */
record Value(String name, Layout layout, FeatureShape shape) {
  /** ONNX layouts of an NHWC activation {@code [n, h, w, c]}. */
  enum Layout {
    /** {@code [n, c, h, w]}: what Conv and the pooling operators take. */
    NCHW,
    /** {@code [n·h·w, c]}: positions × channels, what Gemm and LayerNormalization take. */
    ROWS,
    /** INT64 token ids {@code [n, L]} ({@code shape} is {@code [n, 1, L, 1]}). */
    TOKEN_IDS
  }
}
