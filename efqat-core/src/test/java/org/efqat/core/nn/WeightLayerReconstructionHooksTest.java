package org.efqat.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.quant.QuantParams;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hooks of reconstruction-based PTQ on both backends: {@link
 * WeightLayer#forwardWithWeights}/{@link WeightLayer#weightGradientOf} against a heap im2col and
 * GEMM computed here, {@link Network#setQuantizationBypassed} against the FP network, and a bias
 * added after the fact in checkpoints.
 */
class WeightLayerReconstructionHooksTest {
  @TempDir Path dir;

  static List<Supplier<Backend>> backends() {
    return TestBackends.all();
  }

  /** Kernel, stride, padding, input side, C_in, C_out: im2col + GEMM, direct, pointwise, linear. */
  static List<Arguments> layers() {
    List<Arguments> a = new java.util.ArrayList<>();
    for (Supplier<Backend> b : TestBackends.all()) {
      a.add(Arguments.of(b, 3, 2, 1, 7, 3, 5));
      a.add(Arguments.of(b, 3, 1, 1, 5, 2, 4));
      a.add(Arguments.of(b, 1, 1, 0, 4, 6, 3));
      a.add(Arguments.of(b, 1, 1, 0, 1, 16, 8)); // a Linear's shape
    }
    return a;
  }

  private static WeightLayer layer(Backend backend, int k, int stride, int pad, int cin, int cout) {
    SplittableRandom r = new SplittableRandom(k * 31 + cin);
    float[] w = QuantizedLayers.gaussian(r, cout * k * k * cin, 0.4);
    WeightLayer l =
        k == 1 && stride == 1 && pad == 0 && cin == 16
            ? new Linear(backend, "fc", cin, cout, w)
            : new Conv2d(backend, "conv", cin, cout, k, stride, pad, true, w);
    float[] b = QuantizedLayers.gaussian(r, cout, 0.3);
    System.arraycopy(b, 0, l.bias().value(), 0, cout);
    return l;
  }

  @ParameterizedTest
  @MethodSource("layers")
  void theWeightGradientIsDyTransposedTimesTheQuantizedInputsColumns(
      Supplier<Backend> factory, int k, int stride, int pad, int side, int cin, int cout) {
    try (Backend backend = factory.get()) {
      TensorOps ops = backend.ops();
      WeightLayer layer = layer(backend, k, stride, pad, cin, cout);
      QuantizedLayers.quantize(layer, 4, 4, -1.5f, 2f);
      FeatureShape s = new FeatureShape(2, side, side, cin);
      SplittableRandom r = new SplittableRandom(11);
      // inputs on the input grid or far outside it (clipped), so that the heap quantizer and the
      // backend's kernel agree exactly, away from any rounding tie
      float step = layer.inputStep().value()[0];
      float zero = layer.inputZeroPoint().value()[0];
      float[] x = new float[(int) s.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(5) == 0 ? (r.nextBoolean() ? 10f : -10f) : step * (r.nextInt(16) - zero);
      }
      float[] given = QuantizedLayers.gaussian(r, layer.weight().value().length, 0.3);
      // independent: X̂ by the input quantizer on the heap, im2col here, GEMMs here
      float[] xq = x.clone();
      layer
          .quantization()
          .inputs()
          .forward(x, LayerQuantization.view(layer.inputStep(), layer.inputZeroPoint()), xq);
      float[] cols = QuantizedLayers.im2col(xq, s, k, stride, pad);
      int kk = k * k * cin;
      int m = cols.length / kk;
      try (Tensor in = ops.fromArray(x, s.dims())) {
        Activation y = layer.forwardWithWeights(new Activation(in, s), given);
        float[] yv = ops.toArray(y.tensor());
        assertThat(yv).hasSize(m * cout);
        float[] dy = QuantizedLayers.gaussian(r, m * cout, 1);
        for (int row = 0; row < m; row++) {
          for (int o = 0; o < cout; o++) {
            double e = layer.bias().value()[o];
            for (int j = 0; j < kk; j++) {
              e += (double) cols[row * kk + j] * given[o * kk + j];
            }
            assertThat((double) yv[row * cout + o]).isCloseTo(e, within(e));
          }
        }
        float[] dw;
        try (Tensor g = ops.fromArray(dy, m, cout)) {
          dw = layer.weightGradientOf(new Activation(g, y.shape()));
        }
        assertThat(dw).hasSize(cout * kk);
        for (int o = 0; o < cout; o++) {
          for (int j = 0; j < kk; j++) {
            double e = 0;
            for (int row = 0; row < m; row++) {
              e += (double) dy[row * cout + o] * cols[row * kk + j];
            }
            assertThat((double) dw[o * kk + j]).isCloseTo(e, within(e));
          }
        }
        assertThat(layer.weight().grad()).containsOnly(0f); // nothing accumulated
        assertThat(layer.weightStep().grad()).containsOnly(0f);
      }
      layer.release();
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double expected) {
    return org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(expected));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void forwardWithTheFakeQuantizedWeightsIsForwardAndFrozenRowsDoNotMatter(
      Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      TensorOps ops = backend.ops();
      WeightLayer layer = layer(backend, 3, 1, 1, 2, 4);
      QuantizedLayers.quantize(layer, 4, 8, -2f, 2f);
      layer.setUnfrozenRows(new int[] {1});
      FeatureShape s = new FeatureShape(2, 5, 5, 2);
      float[] x = QuantizedLayers.gaussian(new SplittableRandom(3), (int) s.size(), 1);
      float[] wq = new float[layer.weight().value().length];
      layer
          .quantization()
          .weights()
          .forward(
              layer.weight().value(),
              new QuantParams(layer.weightStep().value(), layer.weightZeroPoint().value()),
              wq);
      try (Tensor in = ops.fromArray(x, s.dims())) {
        float[] viaForward = ops.toArray(layer.forward(new Activation(in, s), false).tensor());
        Activation y = layer.forwardWithWeights(new Activation(in, s), wq);
        assertThat(ops.toArray(y.tensor())).containsExactly(viaForward);
        float[] dy = QuantizedLayers.gaussian(new SplittableRandom(4), (int) y.shape().size(), 1);
        try (Tensor g = ops.fromArray(dy, y.shape().matrix())) {
          float[] dw = layer.weightGradientOf(new Activation(g, y.shape()));
          // every row, although only row 1 trains
          for (int row : new int[] {0, 2, 3}) {
            float[] part = java.util.Arrays.copyOfRange(dw, row * 18, row * 18 + 18);
            assertThat(part).as("row " + row).isNotEqualTo(new float[18]);
          }
        }
      }
      layer.release();
    }
  }

  private static Network network(Backend backend, boolean withBias) {
    SplittableRandom r = new SplittableRandom(5);
    return new Network(
        "hooks",
        backend,
        new Sequential(
            "hooks",
            List.of(
                new Conv2d(
                    backend, "c1", 1, 4, 3, 1, 1, withBias, QuantizedLayers.gaussian(r, 36, 0.5)),
                new ReLU(backend, "r1"),
                new Conv2d(
                    backend, "c2", 4, 6, 3, 2, 1, false, QuantizedLayers.gaussian(r, 216, 0.3)),
                new ReLU(backend, "r2"),
                new GlobalAvgPool(backend, "pool"),
                new Linear(backend, "fc", 6, 3, QuantizedLayers.gaussian(r, 18, 0.5)))),
        new FeatureShape(1, 6, 6, 1),
        3);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aBypassedNetworkComputesExactlyTheFullPrecisionOutput(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      TensorOps ops = backend.ops();
      Network net = network(backend, true);
      float[] images = QuantizedLayers.gaussian(new SplittableRandom(9), 4 * 36, 1);
      float[] fp = ops.toArray(net.forward(images, 4, false).tensor());
      for (WeightLayer l : net.weightLayers()) {
        QuantizedLayers.quantize(l, 3, 3, -1f, 2f);
      }
      float[] quantized = ops.toArray(net.forward(images, 4, false).tensor());
      assertThat(quantized).isNotEqualTo(fp);
      net.setQuantizationBypassed(true);
      assertThat(net.weightLayers()).allMatch(WeightLayer::isQuantizationBypassed);
      assertThat(ops.toArray(net.forward(images, 4, false).tensor())).containsExactly(fp);
      net.setQuantizationBypassed(false);
      assertThat(ops.toArray(net.forward(images, 4, false).tensor())).containsExactly(quantized);
      net.release();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aBiasAddedAfterCalibrationIsSavedAndLoadedUnderItsLayersName(Supplier<Backend> factory) {
    try (Backend backend = factory.get()) {
      Network net = network(backend, false);
      for (WeightLayer l : net.weightLayers()) {
        QuantizedLayers.quantize(l, 4, 8, 0f, 2f);
      }
      WeightLayer c1 = net.weightLayers().get(0);
      assertThat(c1.bias()).isNull();
      Parameter bias = c1.ensureBias();
      assertThat(c1.ensureBias()).isSameAs(bias);
      assertThat(bias.name()).isEqualTo("c1.bias");
      assertThat(bias.value()).containsOnly(0f);
      bias.value()[2] = 0.25f;
      assertThat(List.copyOf(net.parameters().keySet()).subList(0, 3))
          .containsExactly("c1.weight", "c1.bias", "c1.weight_step");
      Path file = dir.resolve("with-bias.safetensors");
      NetworkCheckpoint.save(net, file, SafetensorsDtype.F32, java.util.Map.of());

      Network same = network(backend, false);
      for (WeightLayer l : same.weightLayers()) {
        QuantizedLayers.quantize(l, 4, 8, 0f, 2f);
      }
      assertThatThrownBy(() -> NetworkCheckpoint.load(same, file))
          .isInstanceOf(CheckpointException.class)
          .hasMessageContaining("c1.bias");
      same.weightLayers().get(0).ensureBias();
      NetworkCheckpoint.load(same, file);
      assertThat(same.weightLayers().get(0).bias().value()[2]).isEqualTo(0.25f);
      net.release();
      same.release();
    }
  }
}
