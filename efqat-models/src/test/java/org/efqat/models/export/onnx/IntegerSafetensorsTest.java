package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.spi.ComponentContext;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.checkpoint.SafetensorsHeader;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.efqat.models.cnn.SmallCnnConfig;
import org.efqat.models.cnn.SmallCnnProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integer file: names, dtypes, and {@code scale·(q − z)} equal to the fake-quantized weights.
 */
class IntegerSafetensorsTest {
  @TempDir Path dir;

  @Test
  void holdsTheIntegersScalesAndZeroPointsOfEveryLayer() {
    try (Backend backend =
        new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0))) {
      Network net =
          new SmallCnnProvider()
              .create(new SmallCnnConfig(4), ComponentContext.ofSeed(0))
              .build(backend, new FeatureShape(1, 28, 28, 1), 10, new SplittableRandom(3));
      PtqCalibrator.quantizeUncalibrated(
          net,
          true,
          (i, n, layer) ->
              new LayerQuantization(
                  new LsqQuantizer(i == 0 ? 8 : 4), new LsqPlusQuantizer(i == 0 ? 8 : 4, true)),
          site -> new LsqPlusQuantizer(4, true));
      for (WeightLayer l : net.weightLayers()) { // ranges that clip the larger weights
        float[] s = l.weightStep().value();
        java.util.Arrays.fill(s, l.quantization().weights().grid().bits() == 8 ? 0.002f : 0.03f);
        l.inputZeroPoint().value()[0] = 2.25f; // trained LSQ+ zero points are fractional
      }
      Path file = dir.resolve("cnn.int.safetensors");
      IntegerSafetensors.Written w = IntegerSafetensors.write(net, file, Map.of("stage", "ptq"));
      assertThat(w.weightLayers()).isEqualTo(4);
      assertThat(w.activationQuantizers()).isEqualTo(4);

      Checkpoint c = SafetensorsReader.read(file);
      assertThat(c.metadata())
          .containsEntry("format", "efqat-int")
          .containsEntry("stage", "ptq")
          .containsEntry("features.0.conv.weight_grid", "int8 [-128, 127]")
          .containsEntry("features.1.conv.weight_grid", "int4 [-8, 7]")
          .containsEntry("fc.input_grid", "uint4 [0, 15]");
      Map<String, String> dtypes = new java.util.HashMap<>();
      for (SafetensorsHeader.Entry e : SafetensorsReader.readHeader(file).entries()) {
        dtypes.put(e.name(), e.dtype());
      }
      assertThat(dtypes)
          .containsEntry("features.1.conv.weight", "I8")
          .containsEntry("features.1.conv.weight_scale", "F32")
          .containsEntry("features.1.conv.weight_zero_point", "I8")
          .containsEntry("features.1.conv.bias", "F32") // the folded BatchNorm
          .containsEntry("features.1.conv.input_scale", "F32")
          .containsEntry("features.1.conv.input_zero_point", "F32")
          .containsEntry("fc.weight", "I8")
          .hasSize(4 * 6); // every parameter is a quantized layer's: nothing else left
      assertThat(c.get("features.1.conv.weight").shape()).containsExactly(8, 4, 3, 3);
      assertThat(c.get("fc.input_zero_point").data()).containsExactly(2.25f);

      for (WeightLayer l : net.weightLayers()) {
        NamedTensor q = c.get(l.name() + ".weight");
        float[] s = c.get(l.name() + ".weight_scale").data();
        float[] z = c.get(l.name() + ".weight_zero_point").data();
        float[] fake = new float[l.weight().value().length];
        l.quantization()
            .weights()
            .forward(
                l.weight().value(),
                new QuantParams(l.weightStep().value(), l.weightZeroPoint().value()),
                fake);
        if (q.shape().length == 4) {
          fake =
              IntegerWeights.toChannelsFirst(
                  fake, l.outChannels(), l.inChannels(), l.kernel()); // PyTorch layout
        }
        int k = q.numel() / s.length;
        int bits = l.quantization().weights().grid().bits();
        for (int i = 0; i < q.numel(); i++) {
          float v = q.data()[i];
          assertThat(v).isBetween(-(float) (1 << (bits - 1)), (float) ((1 << (bits - 1)) - 1));
          assertThat(s[i / k] * (v - z[i / k])).isEqualTo(fake[i] + 0f);
        }
      }
    }
  }
}
