package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.quant.FixedSteQuantizer;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The QDQ nodes of the exporter compute our fake quantizer, checked in ONNX Runtime (no graph
 * optimization) on single quantizers: every grid of 2 to 8 bits, signed and unsigned, integer and
 * fractional zero points, INT4 and INT8 storage. Inputs reach well beyond the clipping range on
 * both sides, so saturation (UINT4/INT4) and the emulated narrower clip (INT8/UINT8 storage) are
 * both exercised.
 */
class QdqSemanticsTest {
  private static final int VALUES = 4000;

  static Stream<Arguments> activationCases() {
    List<Arguments> cases = new ArrayList<>();
    for (int bits = 2; bits <= 8; bits++) {
      for (boolean signed : new boolean[] {false, true}) {
        for (float zeroPoint : signed ? new float[] {0f} : new float[] {0f, 3f, 2.37f}) {
          cases.add(Arguments.of(bits, signed, zeroPoint, 13, false));
          if (bits == 4) {
            cases.add(Arguments.of(bits, signed, zeroPoint, 21, true));
            cases.add(Arguments.of(bits, signed, zeroPoint, 21, false));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} bits, signed {1}, zero point {2}, opset {3}, int4 {4}")
  @MethodSource("activationCases")
  void activationQdqIsTheFakeQuantizer(
      int bits, boolean signed, float zeroPoint, int opset, boolean int4) throws Exception {
    Quantizer fake = new FixedSteQuantizer(bits, signed);
    QuantGrid grid = fake.grid();
    float s = 0.0371f;
    OnnxGraphBuilder b = new OnnxGraphBuilder("q");
    b.input("x", TensorProto.DataType.FLOAT_VALUE, -1);
    ExportNotes notes = new ExportNotes();
    String y =
        new QdqEmitter(b, opset, int4, notes)
            .activation("x", new ActivationQuantization("x", grid, s, zeroPoint));
    b.node("Identity", "y", List.of(y));
    b.output("y", TensorProto.DataType.FLOAT_VALUE, -1);

    SplittableRandom random = new SplittableRandom(bits * 31L + (signed ? 7 : 0));
    float lo = s * (grid.qmin() - zeroPoint) - 4 * s;
    float hi = s * (grid.qmax() - zeroPoint) + 4 * s;
    float[] x = new float[VALUES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (lo + random.nextDouble() * (hi - lo));
    }
    float[] expected = new float[x.length];
    fake.forward(x, new QuantParams(new float[] {s}, new float[] {zeroPoint}), expected);
    float[] actual = run(b.build(opset, "test"), x);

    int ties = 0;
    for (int i = 0; i < x.length; i++) {
      float tol = 1e-6f * (Math.abs(expected[i]) + s);
      if (Math.abs(actual[i] - expected[i]) <= tol) {
        continue;
      }
      // Only a value within FP32 rounding of a rounding tie may land on the neighbouring level.
      double v = (double) x[i] / s + zeroPoint;
      assertThat(Math.abs(v - Math.floor(v) - 0.5))
          .as("x = %s: ONNX %s, fake quantizer %s", x[i], actual[i], expected[i])
          .isLessThan(1e-4);
      assertThat(Math.abs(Math.abs(actual[i] - expected[i]) - s)).isLessThan(1e-5f);
      ties++;
    }
    assertThat(ties).isLessThan(3);
    boolean fourBitStorage = int4 && opset >= 21 && bits == 4;
    assertThat(notes.summary().clippedActivations()).isEqualTo(fourBitStorage || bits == 8 ? 0 : 1);
    assertThat(notes.summary().shiftedZeroPoints()).isEqualTo(zeroPoint == 2.37f ? 1 : 0);
  }

  static Stream<Arguments> weightCases() {
    List<Arguments> cases = new ArrayList<>();
    for (int bits = 2; bits <= 8; bits++) {
      cases.add(Arguments.of(bits, 13, false));
      cases.add(Arguments.of(bits, 21, false));
      cases.add(Arguments.of(bits, 21, true));
    }
    return cases.stream();
  }

  /** DequantizeLinear(axis 0) of the stored integers is the fake-quantized weight, bit for bit. */
  @ParameterizedTest(name = "{0} bits, opset {1}, conv {2}")
  @MethodSource("weightCases")
  void weightDequantizationIsTheFakeQuantizedWeight(int bits, int opset, boolean conv)
      throws Exception {
    SplittableRandom random = new SplittableRandom(bits);
    int out = 5;
    int in = 3;
    int k = conv ? 3 : 1;
    float[] w = new float[out * in * k * k]; // odd count: the last INT4 byte is half used
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian() * (1 + i % out);
    }
    WeightLayer layer =
        conv
            ? new Conv2d(null, "c", in, out, k, 1, 1, true, w.clone())
            : new Linear(null, "c", in, out, w.clone());
    Quantizer quantizer = new LsqQuantizer(bits);
    float[] lo = new float[out];
    float[] hi = new float[out];
    for (int r = 0; r < out; r++) {
      for (int j = 0; j < w.length / out; j++) {
        lo[r] = Math.min(lo[r], w[r * (w.length / out) + j] * 0.8f); // clip some weights
        hi[r] = Math.max(hi[r], w[r * (w.length / out) + j] * 0.8f);
      }
    }
    QuantParams params = quantizer.initialize(lo, hi);
    layer.quantize(
        new LayerQuantization(quantizer, new LsqPlusQuantizer(8, true)),
        params,
        new QuantParams(new float[] {1f}, new float[] {0f}));
    float[] fake = new float[w.length];
    quantizer.forward(w, params, fake);

    IntegerWeights iw = IntegerWeights.of(layer);
    OnnxGraphBuilder b = new OnnxGraphBuilder("w");
    b.input("unused", TensorProto.DataType.FLOAT_VALUE, -1);
    ExportNotes notes = new ExportNotes();
    String dq = new QdqEmitter(b, opset, false, notes).weight(iw);
    b.node("Identity", "y", List.of(dq));
    b.output("y", TensorProto.DataType.FLOAT_VALUE, iw.dims());
    float[] onnx = run(b.build(opset, "test"), new float[] {0f}, "unused");

    float[] expected = conv ? IntegerWeights.toChannelsFirst(fake, out, in, k) : fake;
    for (int i = 0; i < expected.length; i++) {
      expected[i] += 0f; // −0 (rint of a small negative weight) equals the integer 0's +0
    }
    assertThat(onnx).containsExactly(expected);
    String type = bits == 4 && opset >= 21 ? "INT4" : "INT8";
    assertThat(notes.summary().weightStorage()).containsOnlyKeys(type + " (" + bits + "-bit grid)");
    for (int q : iw.values()) {
      assertThat(q).isBetween(-(1 << (bits - 1)), (1 << (bits - 1)) - 1);
    }
  }

  private static float[] run(ai.onnx.proto.OnnxMl.ModelProto model, float[] x) throws Exception {
    return run(model, x, "x");
  }

  private static float[] run(ai.onnx.proto.OnnxMl.ModelProto model, float[] x, String input)
      throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      OrtOptimization.NONE.apply(options);
      try (OrtSession session = env.createSession(model.toByteArray(), options);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {x.length});
          OrtSession.Result r = session.run(Map.of(input, t))) {
        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
  }
}
