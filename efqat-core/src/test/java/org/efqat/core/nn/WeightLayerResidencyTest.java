package org.efqat.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.efqat.api.backend.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A quantized layer computes the same bits with its parameters resident on the backend (weight fake
 * quantization and its LSQ backward pass as backend kernels) as on the heap (the quantizer's Java
 * implementation), for some rows and for all, on every backend.
 */
class WeightLayerResidencyTest {
  static Stream<Arguments> cases() {
    List<Supplier<Backend>> backends = TestBackends.all();
    return backends.stream()
        .flatMap(
            b ->
                Stream.of(
                    Arguments.of(b, 3, new int[] {1, 4}),
                    Arguments.of(b, 3, null),
                    Arguments.of(b, 1, new int[] {0, 2, 5})));
  }

  private record Run(float[] out, float[] dx, float[] dw, float[] dStep, float[] dInputStep) {}

  private static Run run(Backend backend, int kernel, int[] rows, boolean resident) {
    SplittableRandom r = new SplittableRandom(5);
    int in = 4;
    int outCh = 6;
    FeatureShape shape = new FeatureShape(2, 5, 5, in);
    WeightLayer layer =
        new Conv2d(
            backend,
            "c",
            in,
            outCh,
            kernel,
            1,
            kernel / 2,
            true,
            QuantizedLayers.gaussian(r, outCh * kernel * kernel * in, 0.3));
    QuantizedLayers.quantize(layer, 4, 8, -2f, 2f);
    layer.setUnfrozenRows(rows);
    if (resident) {
      layer.parameters().forEach(p -> p.makeResident(backend.ops()));
    }
    float[] x = QuantizedLayers.gaussian(r, (int) shape.size(), 1.0);
    float[] dy = QuantizedLayers.gaussian(r, 2 * 5 * 5 * outCh, 1.0);
    Activation y =
        layer.forward(new Activation(backend.ops().fromArray(x, shape.dims()), shape), true);
    float[] out = backend.ops().toArray(y.tensor());
    Activation dx =
        layer.backward(new Activation(backend.ops().fromArray(dy, y.shape().dims()), y.shape()));
    Run result =
        new Run(
            out,
            backend.ops().toArray(dx.tensor()),
            layer.weight().grad().clone(),
            layer.weightStep().grad().clone(),
            layer.inputStep().grad().clone());
    layer.parameters().forEach(Parameter::releaseResidence);
    layer.release();
    return result;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void residentParametersGiveTheHeapResultBitForBit(
      Supplier<Backend> backends, int kernel, int[] rows) {
    try (Backend backend = backends.get()) {
      Run heap = run(backend, kernel, rows, false);
      Run resident = run(backend, kernel, rows, true);
      assertThat(resident.out()).containsExactly(heap.out());
      assertThat(resident.dx()).containsExactly(heap.dx());
      assertThat(resident.dw()).containsExactly(heap.dw());
      assertThat(resident.dStep()).containsExactly(heap.dStep());
      assertThat(resident.dInputStep()).containsExactly(heap.dInputStep());
      if (rows != null) {
        int k = heap.dw().length / 6;
        for (int row = 0; row < 6; row++) {
          if (java.util.Arrays.binarySearch(rows, row) < 0) {
            for (int j = 0; j < k; j++) {
              assertThat(resident.dw()[row * k + j]).isZero();
            }
            assertThat(resident.dStep()[row]).isZero();
          }
        }
      }
    }
  }
}
