package org.efqat.experiments;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.Network;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunException;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.Stage;
import org.efqat.core.session.StageNetworks;
import org.efqat.models.export.onnx.ExportCheck;
import org.efqat.models.export.onnx.ExportTolerance;
import org.efqat.models.export.onnx.IntegerSafetensors;
import org.efqat.models.export.onnx.OnnxExport;
import org.efqat.models.export.onnx.OnnxExportException;
import org.efqat.models.export.onnx.OnnxExportOptions;
import org.efqat.models.export.onnx.OnnxExporter;
import org.efqat.models.export.onnx.OnnxRuntimeCheck;
import org.efqat.models.export.onnx.OrtOptimization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code efqat export RUN_DIR}: the quantized network of a finished stage as ONNX (QDQ), checked in
 * ONNX Runtime against the network on the run's test set, and its integers as safetensors.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export the quantized network of a run's PTQ or EfQAT stage as ONNX in the QDQ form"
          + " (QuantizeLinear/DequantizeLinear: integer weights with per-row scales, per-tensor"
          + " activation scales and zero points, BatchNorm folded), and its integer weights,"
          + " scales and zero points as <name>.int.safetensors.",
      "Then run the ONNX model in ONNX Runtime on the run's test set next to EfQAT-Java's"
          + " fake-quantized network and print both accuracies and the logit differences; a"
          + " difference beyond the tolerance is an error (exit 1)."
    })
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder of 'efqat run'.")
  Path runDir;

  @Option(
      names = "--format",
      defaultValue = "onnx",
      paramLabel = "onnx",
      description = "The format (only onnx).")
  String format;

  @Option(
      names = "--stage",
      defaultValue = "efqat",
      paramLabel = "ptq|efqat",
      description = "Which network: ptq (calibrated) or efqat (trained; default).")
  String stage;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "The ONNX file (default RUN_DIR/<stage>.onnx); the integers go next to it as"
              + " <name>.int.safetensors.")
  Path output;

  @Option(
      names = "--tolerance",
      split = ",",
      paramLabel = "KEY=VALUE",
      description =
          "Limits of the check: mean=<mean |Δlogit| / L> (default 5e-3), max=<max |Δlogit| / L>"
              + " (default 0.5), accuracy=<points> (default 0.1); L = max(1, max |logit|).")
  Map<String, Double> tolerance = new LinkedHashMap<>();

  @Option(
      names = "--opset",
      paramLabel = "N",
      description =
          "The ONNX opset, 13 to 21 (default: the lowest the graph needs; 21 when a weight grid"
              + " has 4 bits, for INT4 weights).")
  Integer opset;

  @Option(
      names = "--int4-activations",
      description =
          "Store 4-bit activation grids as UINT4 too (opset 21); by default they are UINT8 with a"
              + " Clip, which ONNX Runtime's graph optimizations keep exact.")
  boolean int4Activations;

  @Option(
      names = "--ort-optimizations",
      defaultValue = "no-qdq-fusion",
      paramLabel = "none|no-qdq-fusion|all",
      description =
          "ONNX Runtime's graph optimizations for the check: no-qdq-fusion (default: all but the"
              + " QDQ rewrites, so the model runs as written), all (its default, with QDQ fused"
              + " into integer kernels), none.")
  String ortOptimizations;

  @Option(
      names = "--samples",
      paramLabel = "N",
      description = "Check on the first N test samples only (default: all).")
  Integer samples;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Options o;
    try {
      o = options();
    } catch (IllegalArgumentException e) {
      err.println("efqat export: " + e.getMessage());
      return EfqatCli.EXIT_INVALID;
    }
    if (!Files.isDirectory(runDir)) {
      err.println("efqat: error: no run folder " + runDir);
      return EfqatCli.EXIT_FAILURE;
    }
    Path config = runDir.resolve(RunFolder.CONFIG);
    if (!Files.isRegularFile(config)) {
      err.println("efqat: error: " + runDir + " is not a run folder (no " + RunFolder.CONFIG + ")");
      return EfqatCli.EXIT_FAILURE;
    }
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ResolvedExperiment experiment;
    try {
      experiment = new ExperimentLoader(registry).load(config);
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return EfqatCli.EXIT_INVALID;
    }
    Path onnxFile = output != null ? output : runDir.resolve(o.stage().fileStem() + ".onnx");
    Path intFile = integerFile(onnxFile);
    try (ExperimentSession session = Sessions.openRun(registry, experiment, runDir)) {
      Network net = StageNetworks.restore(session, runDir, o.stage());
      try {
        return export(session, net, o, onnxFile, intFile);
      } finally {
        net.release();
      }
    } catch (RunException | CheckpointException e) {
      err.println("efqat: error: " + e.getMessage());
      return EfqatCli.EXIT_FAILURE;
    } catch (OnnxExportException e) {
      err.println("efqat: error: " + runDir + ": cannot export: " + e.getMessage());
      return EfqatCli.EXIT_FAILURE;
    }
  }

  private int export(ExperimentSession session, Network net, Options o, Path onnxFile, Path intFile)
      throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    OnnxExport export = OnnxExporter.export(net, o.export());
    Path parent = onnxFile.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    long bytes = export.write(onnxFile);
    IntegerSafetensors.Written ints =
        IntegerSafetensors.write(
            net,
            intFile,
            Map.of(
                "stage", o.stage().fileStem(),
                "run", runDir.toAbsolutePath().normalize().toString(),
                "architecture", net.architecture()));
    out.printf(
        Locale.ROOT,
        "exported %s (stage %s, %s)%n",
        runDir,
        o.stage().fileStem(),
        net.architecture());
    out.printf(
        Locale.ROOT,
        "  onnx      %s  (opset %d, %d nodes, %s, input %s)%n",
        onnxFile,
        export.opset(),
        export.nodes(),
        size(bytes),
        export.input().valueName());
    out.println("            nodes: " + counts(export.opCounts()));
    out.println("            " + storage(export));
    out.printf(
        Locale.ROOT,
        "  integers  %s  (%d weight layers, %d activation quantizers, %d tensors, %s)%n",
        intFile,
        ints.weightLayers(),
        ints.activationQuantizers(),
        ints.tensors(),
        size(Files.size(intFile)));
    int max = o.samples() == null ? Integer.MAX_VALUE : o.samples();
    ExportCheck check;
    try (OnnxRuntimeCheck ort = OnnxRuntimeCheck.open(export, o.optimization())) {
      check = ort.compare(net, session.data().testBatches(session.batchSize()), max);
    } catch (OnnxExportException e) {
      spec.commandLine()
          .getErr()
          .println("efqat: error: export check failed for " + onnxFile + ": " + e.getMessage());
      return EfqatCli.EXIT_FAILURE;
    }
    return verdict(
        out,
        spec.commandLine().getErr(),
        onnxFile,
        check,
        o.tolerance(),
        session.experiment().config().backend().type());
  }

  /**
   * Prints the check and its verdict.
   *
   * @return 0 when the check is within the tolerance, else {@link EfqatCli#EXIT_FAILURE} with one
   *     error line per limit exceeded
   */
  static int verdict(
      PrintWriter out,
      PrintWriter err,
      Path onnxFile,
      ExportCheck check,
      ExportTolerance tolerance,
      String backend) {
    print(out, check, tolerance, backend);
    out.flush();
    List<String> failures = check.failures(tolerance);
    if (!failures.isEmpty()) {
      for (String f : failures) {
        err.println("efqat: error: export check failed for " + onnxFile + ": " + f);
      }
      err.flush();
      return EfqatCli.EXIT_FAILURE;
    }
    out.println("ok: ONNX Runtime matches EfQAT-Java within the tolerance");
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, ExportCheck c, ExportTolerance t, String backend) {
    out.printf(
        Locale.ROOT, "check on %d test samples (ONNX Runtime %s):%n", c.samples(), c.runtime());
    out.printf(
        Locale.ROOT,
        "  %-32s %7.2f%%%n",
        "EfQAT-Java (fake quant, " + backend + ")",
        c.networkAccuracy() * 100);
    out.printf(Locale.ROOT, "  %-32s %7.2f%%%n", "ONNX Runtime (QDQ)", c.onnxAccuracy() * 100);
    out.printf(
        Locale.ROOT,
        "  logits: mean |diff| %.3g, max |diff| %.3g, max |logit| %.3g; top-1 differs on %d"
            + " samples%n",
        c.meanAbsDifference(),
        c.maxAbsDifference(),
        c.maxAbsLogit(),
        c.argmaxDisagreements());
    out.println("  tolerance: " + t.describe());
  }

  private static String counts(Map<String, Integer> ops) {
    StringBuilder sb = new StringBuilder();
    ops.forEach(
        (op, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(op).append(' ').append(n));
    return sb.toString();
  }

  private static String storage(OnnxExport e) {
    StringBuilder sb = new StringBuilder("weights");
    e.storage().weightStorage().forEach((k, v) -> sb.append(' ').append(k).append(" x").append(v));
    sb.append("; activations");
    e.storage()
        .activationStorage()
        .forEach((k, v) -> sb.append(' ').append(k).append(" x").append(v));
    if (e.storage().clippedActivations() > 0) {
      sb.append(", ").append(e.storage().clippedActivations()).append(" with a Clip");
    }
    if (e.storage().shiftedZeroPoints() > 0) {
      sb.append(", ")
          .append(e.storage().shiftedZeroPoints())
          .append(" with a fractional zero point");
    }
    return sb.toString();
  }

  private static String size(long bytes) {
    return bytes < 1 << 20
        ? String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0)
        : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }

  /** {@code a/b.onnx} → {@code a/b.int.safetensors}; another name gets the suffix appended. */
  static Path integerFile(Path onnx) {
    String name = onnx.getFileName().toString();
    String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    return onnx.resolveSibling(stem + ".int.safetensors");
  }

  /** The validated options. */
  private record Options(
      Stage stage,
      OnnxExportOptions export,
      OrtOptimization optimization,
      ExportTolerance tolerance,
      Integer samples) {}

  private Options options() {
    if (!format.equals("onnx")) {
      throw new IllegalArgumentException("--format must be onnx (was " + format + ")");
    }
    Stage s =
        switch (stage) {
          case "ptq" -> Stage.PTQ;
          case "efqat" -> Stage.EFQAT;
          default ->
              throw new IllegalArgumentException(
                  "--stage must be ptq or efqat (was " + stage + ")");
        };
    OrtOptimization opt =
        java.util.Arrays.stream(OrtOptimization.values())
            .filter(v -> v.cliName().equals(ortOptimizations))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--ort-optimizations must be none, no-qdq-fusion or all (was "
                            + ortOptimizations
                            + ")"));
    for (String key : tolerance.keySet()) {
      if (!List.of("mean", "max", "accuracy").contains(key)) {
        throw new IllegalArgumentException(
            "--tolerance takes mean=, max= and accuracy= (was " + key + "=)");
      }
    }
    ExportTolerance t =
        new ExportTolerance(
            tolerance.getOrDefault("mean", ExportTolerance.DEFAULT_MEAN_LOGITS),
            tolerance.getOrDefault("max", ExportTolerance.DEFAULT_MAX_LOGITS),
            tolerance.getOrDefault("accuracy", ExportTolerance.DEFAULT_ACCURACY_POINTS));
    if (samples != null && samples < 1) {
      throw new IllegalArgumentException("--samples must be >= 1 (was " + samples + ")");
    }
    return new Options(s, new OnnxExportOptions(opset, int4Activations), opt, t, samples);
  }
}
