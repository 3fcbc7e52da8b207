package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.efqat.core.session.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNNs of efqat-models trained briefly (FP, PTQ, a short EfQAT epoch), exported after PTQ and
 * after EfQAT, and run in ONNX Runtime: the logits are within {@link ExportTolerance#DEFAULT} of
 * the network's and the accuracy is equal within 0.1 point, at 3, 4 and 8 bits, on both backends.
 */
class OnnxExportImageModelsTest {
  @TempDir Path dir;

  private static String experiment(
      String name, String backend, String model, int wBits, int aBits, String extra) {
    return """
        version: 1
        name: %s
        seed: 5
        backend: %s
        model: {architecture: %s}
        data: {dataset: fashion-mnist-sample, batchSize: 64, trainSamples: 4096, testSamples: 1000}
        pretrain:
          epochs: 3
          optimizer: {type: sgd, lr: 0.1, momentum: 0.9, schedule: cosine}
        quantization:
          weights: {type: lsq, bits: %d}
          activations: {type: lsq-plus, bits: %d}
        %s
        efqat:
          freeze: {type: cwpn, p: 0.25}
          interval: 512
          epochs: 0.5
        optimizer: {type: sgd, lr: 0.01}
        """
        .formatted(name, backend, model, wBits, aBits, extra);
  }

  private static void assertMatches(List<ExportRuns.Result> results) {
    assertThat(results)
        .extracting(ExportRuns.Result::stage)
        .containsExactly(Stage.PTQ, Stage.EFQAT);
    for (ExportRuns.Result r : results) {
      assertThat(r.check().failures(ExportTolerance.DEFAULT)).as(r.toString()).isEmpty();
      assertThat(Math.abs(r.check().onnxAccuracy() - r.check().networkAccuracy()))
          .as(r.toString())
          .isLessThanOrEqualTo(0.001);
      assertThat(r.check().networkAccuracy()).as(r.toString()).isGreaterThan(0.6);
    }
  }

  @Test
  void cnnW4A4WithEightBitFirstAndLastLayersOnNd4j() throws Exception {
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            experiment(
                "cnn-w4a4",
                "nd4j",
                "{type: cnn, width: 16}",
                4,
                4,
                "  firstLayerBits: 8\n  lastLayerBits: 8"),
            dir,
            OnnxExportOptions.DEFAULT,
            OrtOptimization.NO_QDQ_FUSION,
            Stage.PTQ,
            Stage.EFQAT);
    assertMatches(results);
    for (ExportRuns.Result r : results) {
      OnnxExport e = r.export();
      assertThat(e.opset()).isEqualTo(21);
      assertThat(e.input()).isEqualTo(OnnxInput.IMAGES_NCHW);
      assertThat(e.inputDims()).containsExactly(-1, 1, 28, 28);
      assertThat(e.storage().weightStorage())
          .isEqualTo(Map.of("INT4 (4-bit grid)", 2, "INT8 (8-bit grid)", 2));
      assertThat(e.storage().activationStorage()).isEqualTo(Map.of("UINT8", 4));
      assertThat(e.storage().clippedActivations()).isEqualTo(2); // the two 4-bit inputs
      assertThat(e.opCounts())
          .containsEntry("QuantizeLinear", 4)
          .containsEntry("DequantizeLinear", 8)
          .containsEntry("Conv", 3)
          .containsEntry("MaxPool", 2)
          .containsEntry("GlobalAveragePool", 1)
          .containsEntry("Gemm", 1)
          .doesNotContainKey("BatchNormalization");
    }
    // LSQ+ trains the zero points off the integers; the EfQAT graph carries the fractions.
    assertThat(results.get(0).export().storage().shiftedZeroPoints()).isZero();
    assertThat(results.get(1).export().storage().shiftedZeroPoints()).isPositive();
  }

  @Test
  void cnnW8A8OnTf() throws Exception {
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            experiment("cnn-w8a8", "tf", "{type: cnn, width: 16}", 8, 8, ""),
            dir,
            OnnxExportOptions.DEFAULT,
            OrtOptimization.NO_QDQ_FUSION,
            Stage.PTQ,
            Stage.EFQAT);
    assertMatches(results);
    for (ExportRuns.Result r : results) {
      assertThat(r.export().opset()).isEqualTo(13);
      assertThat(r.export().storage().weightStorage()).isEqualTo(Map.of("INT8 (8-bit grid)", 4));
      assertThat(r.export().storage().clippedActivations()).isZero();
    }
  }

  /** ResNet-20 as PyTorch trained it (the PyTorchResNet20Test fixture), W4A4 as in the README. */
  @Test
  void pytorchResNet20W4A4WithResidualAddsOnTf() throws Exception {
    Path fixture =
        Path.of("src/test/resources/org/efqat/models/resnet20-fmnist/resnet20-fmnist.safetensors")
            .toAbsolutePath();
    String yaml =
        """
        version: 1
        name: resnet20-w4a4
        seed: 5
        backend: tf
        model: {architecture: resnet20, checkpoint: '%s'}
        data: {dataset: fashion-mnist-sample, batchSize: 64, trainSamples: 1024, testSamples: 1000}
        quantization:
          weights: {type: lsq, bits: 4}
          activations: {type: lsq-plus, bits: 4}
          firstLayerBits: 8
          lastLayerBits: 8
        efqat:
          freeze: {type: cwpn, p: 0.1}
          interval: 512
          epochs: 0.25
        optimizer: {type: sgd, lr: 0.001}
        """
            .formatted(fixture);
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            yaml,
            dir,
            OnnxExportOptions.DEFAULT,
            OrtOptimization.NO_QDQ_FUSION,
            Stage.PTQ,
            Stage.EFQAT);
    assertMatches(results);
    OnnxExport e = results.get(0).export();
    assertThat(e.opset()).isEqualTo(21);
    assertThat(e.storage().weightStorage())
        .isEqualTo(Map.of("INT4 (4-bit grid)", 20, "INT8 (8-bit grid)", 2));
    assertThat(e.opCounts())
        .containsEntry("Conv", 21) // 19 convolutions and the two 1×1 projection shortcuts
        .containsEntry("Add", 9) // one per residual block
        .containsEntry("Relu", 19)
        .containsEntry("QuantizeLinear", 22)
        .containsEntry("GlobalAveragePool", 1);
  }

  /**
   * ResNet-50 (width 8, 64×64 inputs): bottlenecks with 1×1 convolutions and the padded 3×3 max
   * pooling of the stem. Trained for one epoch on random images with random labels, so only the
   * logits are compared, not accuracies.
   */
  @Test
  void resnet50BottlenecksAndPaddedMaxPoolOnNd4j() throws Exception {
    String yaml =
        """
        version: 1
        name: resnet50-w8a8
        seed: 5
        backend: nd4j
        model: {architecture: {type: resnet50, width: 8}}
        data: {dataset: {type: random-images, side: 64, samples: 64}, batchSize: 32}
        pretrain:
          epochs: 1
          optimizer: {type: sgd, lr: 0.01}
        quantization:
          weights: {type: lsq, bits: 8}
          activations: {type: lsq-plus, bits: 8}
          calibration: {method: minmax, batches: 2}
        efqat:
          freeze: {type: cwpn, p: 0.1}
          epochs: 0.5
        optimizer: {type: sgd, lr: 0.001}
        """;
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            yaml, dir, OnnxExportOptions.DEFAULT, OrtOptimization.NO_QDQ_FUSION, Stage.EFQAT);
    ExportCheck c = results.get(0).check();
    ExportTolerance logitsOnly =
        new ExportTolerance(
            ExportTolerance.DEFAULT_MEAN_LOGITS, ExportTolerance.DEFAULT_MAX_LOGITS, 100);
    assertThat(c.failures(logitsOnly)).as(results.get(0).toString()).isEmpty();
    OnnxExport e = results.get(0).export();
    assertThat(e.opset()).isEqualTo(13);
    assertThat(e.inputDims()).containsExactly(-1, 3, 64, 64);
    assertThat(e.opCounts())
        .containsEntry("Conv", 53) // stem, 16 bottlenecks of 3, 4 projection shortcuts
        .containsEntry("MaxPool", 1)
        // 16 residual adds and two per fractional zero point
        .containsEntry("Add", 16 + 2 * e.storage().shiftedZeroPoints())
        .containsEntry("Gemm", 1);
  }

  @Test
  void mlpW3A3StoresThreeBitGridsInEightBitsWithAClip() throws Exception {
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            experiment("mlp-w3a3", "nd4j", "{type: mlp, width: 64}", 3, 3, ""),
            dir,
            OnnxExportOptions.DEFAULT,
            OrtOptimization.NO_QDQ_FUSION,
            Stage.PTQ,
            Stage.EFQAT);
    assertMatches(results);
    OnnxExport e = results.get(1).export();
    assertThat(e.opset()).isEqualTo(13);
    assertThat(e.storage().weightStorage()).isEqualTo(Map.of("INT8 (3-bit grid)", 3));
    assertThat(e.storage().clippedActivations()).isEqualTo(3);
    assertThat(e.opCounts()).containsEntry("Gemm", 3).containsEntry("Transpose", 1);
  }
}
