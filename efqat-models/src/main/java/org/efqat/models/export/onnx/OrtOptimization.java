package org.efqat.models.export.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How much ONNX Runtime may rewrite the exported graph before running it.
 *
 * <p>ONNX Runtime's QDQ transformations do not keep the QDQ semantics exactly: from its basic level
 * on it quantizes the FP32 bias of a {@code DequantizeLinear → Conv} to INT32 with scale {@code
 * s_x·s_w}, and at the extended level it fuses {@code DequantizeLinear → Conv → [Relu] →
 * QuantizeLinear} into {@code QLinearConv}, whose fixed-point requantization rounds differently.
 * Both are approximations of the model, not part of it. {@link #NO_QDQ_FUSION} runs every other
 * optimization and the QDQ nodes as written, which is the model's own arithmetic (in FP32, up to
 * summation order).
 */
public enum OrtOptimization {
  /** No graph rewriting at all: every node runs as written. */
  NONE(OptLevel.NO_OPT, false),
  /**
   * Every optimization except the QDQ rewrites ({@code session.disable_quant_qdq = 1}): constant
   * folding, operator fusions and layouts, with QuantizeLinear/DequantizeLinear run as written.
   */
  NO_QDQ_FUSION(OptLevel.ALL_OPT, true),
  /** ONNX Runtime's default: every optimization, including the QDQ fusions into integer kernels. */
  ALL(OptLevel.ALL_OPT, false);

  private final OptLevel level;
  private final boolean disableQdq;

  OrtOptimization(OptLevel level, boolean disableQdq) {
    this.level = level;
    this.disableQdq = disableQdq;
  }

  /**
   * @return the name the command line uses, e.g. {@code no-qdq-fusion}
   */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /**
   * @param options session options to configure
   * @throws OrtException if ONNX Runtime refuses the setting
   */
  void apply(SessionOptions options) throws OrtException {
    options.setOptimizationLevel(level);
    if (disableQdq) {
      options.addConfigEntry("session.disable_quant_qdq", "1");
    }
  }
}
