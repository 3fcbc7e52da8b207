package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.efqat.core.session.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny BERT encoder (preset {@code tiny}: 2 layers, 32 wide, 4 heads) with quantized attention
 * matmuls, trained briefly on the bundled WordNet sample, exported after PTQ and EfQAT and run in
 * ONNX Runtime: embeddings, LayerNormalization, the erf GELU, masked softmax attention with QDQ on
 * Q, K, V and P, first-token and mean pooling.
 */
class OnnxExportBertTest {
  @TempDir Path dir;

  private static String experiment(String backend, int bits, String pooling) {
    return """
        version: 1
        name: bert-%s-w%d-%s
        seed: 5
        backend: %s
        model:
          architecture: {type: bert, preset: tiny, pooling: %s, quantizeAttention: true, dropout: 0.0}
        data:
          dataset: {type: wordnet-supersenses-sample, maxLength: 24}
          batchSize: 32
          trainSamples: 2048
          testSamples: 400
        pretrain:
          epochs: 4
          optimizer: {type: adamw, lr: 0.003, schedule: cosine}
        quantization:
          weights: {type: lsq, bits: %d}
          activations: {type: lsq-plus, bits: %d}
        efqat:
          freeze: {type: cwpn, p: 0.25}
          interval: 512
          epochs: 0.5
        optimizer: {type: adamw, lr: 0.0005}
        """
        .formatted(backend, bits, pooling, backend, pooling, bits, bits);
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
      assertThat(r.check().networkAccuracy()).as(r.toString()).isGreaterThan(0.2); // 26 classes
      OnnxExport e = r.export();
      assertThat(e.input()).isEqualTo(OnnxInput.TOKEN_IDS);
      assertThat(e.inputDims()).containsExactly(-1, 24);
      assertThat(e.opCounts())
          // 13 Linear inputs (6 per layer and the classifier) and Q, K, V, P in 2 layers
          .containsEntry("QuantizeLinear", 21)
          .containsEntry("Gemm", 13)
          .containsEntry("LayerNormalization", 5)
          .containsEntry("Softmax", 2)
          .containsEntry("Erf", 2)
          .containsEntry("Where", 1);
    }
  }

  @Test
  void tinyEncoderW4A4MeanPoolingOnNd4j() throws Exception {
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            experiment("nd4j", 4, "mean"),
            dir,
            OnnxExportOptions.DEFAULT,
            OrtOptimization.NO_QDQ_FUSION,
            Stage.PTQ,
            Stage.EFQAT);
    assertMatches(results);
    for (ExportRuns.Result r : results) {
      assertThat(r.export().opset()).isEqualTo(21);
      assertThat(r.export().storage().weightStorage()).isEqualTo(Map.of("INT4 (4-bit grid)", 13));
      assertThat(r.export().storage().clippedActivations()).isEqualTo(21);
      assertThat(r.export().opCounts()).containsEntry("MatMul", 5).containsEntry("ReduceSum", 1);
    }
  }

  @Test
  void tinyEncoderW8A8FirstTokenOnTf() throws Exception {
    List<ExportRuns.Result> results =
        ExportRuns.runAndExport(
            experiment("tf", 8, "first"),
            dir,
            OnnxExportOptions.DEFAULT,
            OrtOptimization.NO_QDQ_FUSION,
            Stage.PTQ,
            Stage.EFQAT);
    assertMatches(results);
    for (ExportRuns.Result r : results) {
      assertThat(r.export().opset()).isEqualTo(17);
      assertThat(r.export().storage().weightStorage()).isEqualTo(Map.of("INT8 (8-bit grid)", 13));
      assertThat(r.export().storage().clippedActivations()).isZero();
      assertThat(r.export().opCounts()).containsEntry("MatMul", 4).doesNotContainKey("ReduceSum");
    }
  }
}
