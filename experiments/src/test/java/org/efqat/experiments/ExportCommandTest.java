package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.models.export.onnx.ExportCheck;
import org.efqat.models.export.onnx.ExportTolerance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efqat export} end to end on a small CNN run: the ONNX file and the integers, the check
 * printed and passed, and every bad input answered with one line and its exit code.
 */
class ExportCommandTest {
  @TempDir static Path dir;

  private static final String EXPERIMENT =
      """
      version: 1
      name: %s
      seed: 5
      backend: %s
      model: {architecture: {type: cnn, width: 8}}
      data: {dataset: fashion-mnist-sample, batchSize: 64, trainSamples: 2048, testSamples: 500}
      pretrain:
        epochs: 2
        optimizer: {type: sgd, lr: 0.1, momentum: 0.9, schedule: cosine}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
        firstLayerBits: 8
        lastLayerBits: 8
        calibration: {method: minmax, batches: 2, foldBatchNorm: %s}
      efqat:
        freeze: {type: cwpn, p: 0.5}
        interval: 512
        epochs: 0.25
      optimizer: {type: sgd, lr: 0.01}
      """;

  private static Path runDir;

  private static Path run(String name, boolean fold, String... more) throws Exception {
    return run(name, "nd4j", fold, more);
  }

  private static Path run(String name, String backend, boolean fold, String... more)
      throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, EXPERIMENT.formatted(name, backend, fold));
    String[] args =
        Stream.concat(
                Stream.of("run", file.toString(), "--output=" + dir.resolve("runs")),
                Stream.of(more))
            .toArray(String[]::new);
    CliResult r = CliResult.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return dir.resolve("runs").resolve(name);
  }

  @BeforeAll
  static void runTheExperiment() throws Exception {
    runDir = run("tiny", true);
  }

  @Test
  void exportsTheEfqatNetworkAndChecksItInOnnxRuntime() throws Exception {
    CliResult r = CliResult.run("export", runDir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Path onnx = runDir.resolve("efqat.onnx");
    Path ints = runDir.resolve("efqat.int.safetensors");
    assertThat(r.out())
        .contains("exported " + runDir + " (stage efqat, cnn)")
        .contains(onnx + "  (opset 21, ")
        .contains("weights INT4 (4-bit grid) x2 INT8 (8-bit grid) x2")
        .contains(ints.toString())
        .contains(
            "check on 500 test samples (ONNX Runtime 1.29.0, graph optimizations no-qdq-fusion)")
        .contains("EfQAT-Java (fake quant, nd4j)")
        .contains("ONNX Runtime (QDQ)")
        .contains("top-1 differs on 0 samples")
        .contains("ok: ONNX Runtime matches EfQAT-Java within the tolerance");
    // the two accuracies printed are the same number
    String[] lines = r.out().split("\n");
    String java = Stream.of(lines).filter(l -> l.contains("EfQAT-Java (fake")).findFirst().get();
    String ort = Stream.of(lines).filter(l -> l.contains("ONNX Runtime (QDQ)")).findFirst().get();
    assertThat(ort.substring(ort.lastIndexOf(' ')))
        .isEqualTo(java.substring(java.lastIndexOf(' ')));

    ModelProto model = ModelProto.parseFrom(Files.readAllBytes(onnx));
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(21);
    assertThat(model.getGraph().getNodeList())
        .extracting(NodeProto::getOpType)
        .contains("QuantizeLinear", "DequantizeLinear", "Conv", "Gemm");
    Checkpoint c = SafetensorsReader.read(ints);
    assertThat(c.metadata()).containsEntry("stage", "efqat").containsEntry("format", "efqat-int");
    assertThat(c.tensors()).containsKeys("features.0.conv.weight", "fc.weight_scale");
  }

  @Test
  void exportsThePtqNetworkWhereAsked() throws Exception {
    Path out = dir.resolve("exports/ptq-model.onnx");
    CliResult r =
        CliResult.run(
            "export",
            runDir.toString(),
            "--stage",
            "ptq",
            "--output",
            out.toString(),
            "--opset",
            "13",
            "--samples",
            "200",
            "--ort-optimizations",
            "none");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(out).exists();
    assertThat(dir.resolve("exports/ptq-model.int.safetensors")).exists();
    assertThat(r.out())
        .contains("(stage ptq, cnn)")
        .contains("(opset 13, ")
        .contains("weights INT8 (4-bit grid) x2 INT8 (8-bit grid) x2")
        .contains("check on 200 test samples")
        .contains("graph optimizations none");
  }

  @Test
  void aCheckBeyondTheToleranceIsAnError() {
    // The real check can find identical logits (on oneDNN EfQAT-Java's float convolutions match
    // ONNX Runtime's exactly), so the verdict is given a check that differs.
    ExportCheck check = new ExportCheck(500, 0.80, 0.79, 0.9, 0.02, 5.0, 7, "1.29.0, ALL");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path onnx = dir.resolve("strict.onnx");
    int exit =
        ExportCommand.verdict(
            new PrintWriter(out),
            new PrintWriter(err),
            onnx,
            check,
            new ExportTolerance(0, 0, 0.1),
            "nd4j");
    assertThat(exit).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(err.toString())
        .startsWith("efqat: error: export check failed for " + onnx + ": accuracy differs by 1.00")
        .contains(onnx + ": logits differ by 0.02 on average (at most 0 allowed")
        .contains(onnx + ": logits differ by up to 0.9 (at most 0 allowed");
    assertThat(out.toString()).contains("top-1 differs on 7 samples").doesNotContain("ok:");
    assertThat(
            ExportCommand.verdict(
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                onnx,
                check,
                new ExportTolerance(0.01, 0.2, 1),
                "nd4j"))
        .isZero();
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliResult format = CliResult.run("export", runDir.toString(), "--format", "tflite");
    assertThat(format.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(format.err().strip()).isEqualTo("efqat export: --format must be onnx (was tflite)");
    CliResult stage = CliResult.run("export", runDir.toString(), "--stage", "fp");
    assertThat(stage.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(stage.err().strip())
        .isEqualTo("efqat export: --stage must be ptq or efqat (was fp)");
    CliResult tolerance = CliResult.run("export", runDir.toString(), "--tolerance", "logits=1");
    assertThat(tolerance.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(tolerance.err().strip())
        .isEqualTo("efqat export: --tolerance takes mean=, max= and accuracy= (was logits=)");
    CliResult opset = CliResult.run("export", runDir.toString(), "--opset", "9");
    assertThat(opset.exit()).isEqualTo(EfqatCli.EXIT_INVALID);
    assertThat(opset.err().strip()).isEqualTo("efqat export: opset must be in [13, 21] (was 9)");
  }

  @Test
  void aFolderThatIsNotARunIsNamed() throws Exception {
    Path missing = dir.resolve("nowhere");
    CliResult r = CliResult.run("export", missing.toString());
    assertThat(r.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(r.err().strip()).isEqualTo("efqat: error: no run folder " + missing);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliResult e = CliResult.run("export", empty.toString());
    assertThat(e.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(e.err().strip())
        .isEqualTo("efqat: error: " + empty + " is not a run folder (no resolved-config.yaml)");
  }

  @Test
  void aStageThatDidNotFinishIsNamed() throws Exception {
    Path ptqOnly = run("ptq-only", true, "--until", "PTQ");
    CliResult r = CliResult.run("export", ptqOnly.toString());
    assertThat(r.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(r.err().strip())
        .isEqualTo(
            "efqat: error: "
                + ptqOnly
                + ": stage EFQAT has not finished (state.json lists completed stages: PRETRAIN,"
                + " PTQ); finish it with efqat run "
                + ptqOnly.resolve("resolved-config.yaml"));
    assertThat(CliResult.run("export", ptqOnly.toString(), "--stage", "ptq").exit()).isZero();
  }

  @Test
  void aMissingCheckpointIsNamed() throws Exception {
    Path copy = Files.createDirectories(dir.resolve("copied/tiny"));
    for (String f : new String[] {"resolved-config.yaml", "state.json", "metrics.json"}) {
      Files.copy(runDir.resolve(f), copy.resolve(f));
    }
    Files.copy(runDir.resolve("ptq.safetensors"), copy.resolve("ptq.safetensors"));
    CliResult r = CliResult.run("export", copy.toString());
    assertThat(r.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(r.err().strip())
        .isEqualTo(
            "efqat: error: "
                + copy.resolve("efqat.safetensors")
                + ": missing; the EFQAT checkpoint of a completed stage must be there (was the"
                + " folder copied in part?)");
  }

  @Test
  void aNetworkWithAnUnfoldedBatchNormHasNoOnnxForm() throws Exception {
    Path unfolded = run("unfolded", false, "--until", "PTQ");
    CliResult r = CliResult.run("export", unfolded.toString(), "--stage", "ptq");
    assertThat(r.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(r.err().strip())
        .isEqualTo(
            "efqat: error: "
                + unfolded
                + ": cannot export: layer features.0.bn (BatchNorm2d): an unfolded BatchNorm has"
                + " no place in the QDQ form, which needs it folded into the convolution before"
                + " it; calibrate with quantization.calibration.foldBatchNorm: true");
    assertThat(unfolded.resolve("ptq.onnx")).doesNotExist();
  }
}
