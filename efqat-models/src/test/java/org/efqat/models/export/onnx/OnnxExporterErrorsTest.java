package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.quant.QuantGrid;
import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.api.spi.ComponentContext;
import org.efqat.backend.nd4j.Nd4jBackendConfig;
import org.efqat.backend.nd4j.Nd4jBackendProvider;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.Sequential;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.quant.LsqPlusQuantizer;
import org.efqat.core.quant.LsqQuantizer;
import org.efqat.models.bert.BertConfig;
import org.efqat.models.bert.BertProvider;
import org.efqat.models.cnn.SmallCnnConfig;
import org.efqat.models.cnn.SmallCnnProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Networks the exporter refuses, each with one line naming the layer, its class and why. */
class OnnxExporterErrorsTest {
  private static Backend backend;

  @BeforeAll
  static void open() {
    backend = new Nd4jBackendProvider().create(new Nd4jBackendConfig(), ComponentContext.ofSeed(0));
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  private static void quantize(Network net, boolean fold, Quantizer weights) {
    PtqCalibrator.quantizeUncalibrated(
        net,
        fold,
        (i, n, layer) -> new LayerQuantization(weights, new LsqPlusQuantizer(8, true)),
        site -> new LsqPlusQuantizer(8, true));
  }

  private static Network cnn() {
    return new SmallCnnProvider()
        .create(new SmallCnnConfig(4), ComponentContext.ofSeed(0))
        .build(backend, new FeatureShape(1, 28, 28, 1), 10, new SplittableRandom(1));
  }

  @Test
  void anUnfoldedBatchNormIsRefused() {
    Network net = cnn();
    quantize(net, false, new LsqQuantizer(8));
    assertThatThrownBy(() -> OnnxExporter.export(net, OnnxExportOptions.DEFAULT))
        .isInstanceOf(OnnxExportException.class)
        .hasMessage(
            "layer features.0.bn (BatchNorm2d): an unfolded BatchNorm has no place in the QDQ"
                + " form, which needs it folded into the convolution before it; calibrate with"
                + " quantization.calibration.foldBatchNorm: true");
  }

  @Test
  void aFoldedNetworkExports() {
    Network net = cnn();
    quantize(net, true, new LsqQuantizer(8));
    OnnxExport e = OnnxExporter.export(net, OnnxExportOptions.DEFAULT);
    assertThat(e.opCounts()).containsEntry("Conv", 3).doesNotContainKey("BatchNormalization");
  }

  /** A layer type the exporter does not know. */
  static final class Doubler implements Layer {
    @Override
    public String name() {
      return "double";
    }

    @Override
    public Activation forward(Activation input, boolean training) {
      return input;
    }

    @Override
    public Activation backward(Activation gradOutput) {
      return gradOutput;
    }

    @Override
    public List<Parameter> parameters() {
      return List.of();
    }
  }

  @Test
  void aLayerWithoutAnOnnxFormIsNamed() {
    Network net =
        new Network(
            "custom",
            backend,
            new Sequential(
                "custom",
                List.of(
                    new Flatten("flatten"),
                    new Doubler(),
                    new Linear(backend, "fc", 4, 3, new float[12]))),
            new FeatureShape(1, 2, 2, 1),
            3);
    assertThatThrownBy(() -> OnnxExporter.export(net, OnnxExportOptions.DEFAULT))
        .isInstanceOf(OnnxExportException.class)
        .hasMessage(
            "layer double (Doubler): has no ONNX form (the exporter does not know this layer"
                + " type)");
  }

  /** Rounds to a power-of-two grid: not the affine form QDQ can express. */
  static final class LogQuantizer implements Quantizer {
    @Override
    public QuantGrid grid() {
      return new QuantGrid(4, true);
    }

    @Override
    public QuantParams initialize(float[] lo, float[] hi) {
      return QuantParams.ofGroups(lo.length);
    }

    @Override
    public void forward(float[] x, QuantParams params, float[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = Math.signum(x[i]) * (float) Math.pow(2, Math.round(Math.log(Math.abs(x[i]))));
      }
    }

    @Override
    public void backward(
        float[] x, float[] gradOut, QuantParams params, float[] gradIn, QuantParams gradParams) {
      System.arraycopy(gradOut, 0, gradIn, 0, x.length);
    }
  }

  @Test
  void aQuantizerThatIsNotAffineIsNamed() {
    Network net = cnn();
    quantize(net, true, new LogQuantizer());
    assertThatThrownBy(() -> OnnxExporter.export(net, OnnxExportOptions.DEFAULT))
        .isInstanceOf(OnnxExportException.class)
        .hasMessageStartingWith(
            "layer features.0.conv (Conv2d): its weight quantizer "
                + LogQuantizer.class.getName()
                + " is not affine");
  }

  @Test
  void aFractionalWeightZeroPointIsRefused() {
    Network net = cnn();
    quantize(net, true, new LsqQuantizer(8));
    net.weightLayers().get(1).weightZeroPoint().value()[2] = 0.5f;
    assertThatThrownBy(() -> OnnxExporter.export(net, OnnxExportOptions.DEFAULT))
        .isInstanceOf(OnnxExportException.class)
        .hasMessage(
            "layer features.1.conv (Conv2d): weight zero point of row 2 is 0.5, not an integer;"
                + " DequantizeLinear needs integer zero points");
  }

  @Test
  void anOpsetBelowLayerNormalizationIsRefusedForTheEncoder() {
    Network bert =
        new BertProvider()
            .create(
                new BertConfig(
                    "tiny", null, null, null, null, null, null, null, null, null, null, null),
                ComponentContext.ofSeed(0))
            .build(backend, new FeatureShape(1, 1, 8, 1), 4, new SplittableRandom(2));
    quantize(bert, true, new LsqQuantizer(8));
    assertThatThrownBy(() -> OnnxExporter.export(bert, new OnnxExportOptions(13, false)))
        .isInstanceOf(OnnxExportException.class)
        .hasMessage("bert: opset 13 is too low; its LayerNorm needs LayerNormalization (opset 17)");
    assertThat(OnnxExporter.export(bert, OnnxExportOptions.DEFAULT).opset()).isEqualTo(17);
    assertThatThrownBy(() -> new OnnxExportOptions(22, false))
        .hasMessage("opset must be in [13, 21] (was 22)");
  }
}
