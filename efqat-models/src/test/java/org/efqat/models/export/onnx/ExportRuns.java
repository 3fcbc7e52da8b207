package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.Network;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.Stage;
import org.efqat.core.session.StageNetworks;
import org.efqat.core.session.StopRequests;

/**
 * Small experiments run to the end (FP, PTQ, EfQAT) in a folder, and the export of their PTQ and
 * EfQAT networks checked in ONNX Runtime against the networks themselves.
 */
final class ExportRuns {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.loadDefault();

  private ExportRuns() {}

  /** One export check: what was exported and how it compared. */
  record Result(Stage stage, OnnxExport export, ExportCheck check) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s opset %d: network %.2f%%, onnx %.2f%%, max|d| %.3g, mean|d| %.3g, max|logit| %.3g,"
              + " disagree %d/%d, %s",
          stage,
          export.opset(),
          check.networkAccuracy() * 100,
          check.onnxAccuracy() * 100,
          check.maxAbsDifference(),
          check.meanAbsDifference(),
          check.maxAbsLogit(),
          check.argmaxDisagreements(),
          check.samples(),
          export.storage());
    }
  }

  /**
   * @param yaml an experiment
   * @return the parsed experiment
   */
  static ResolvedExperiment parse(String yaml) throws Exception {
    return new ExperimentLoader(REGISTRY).parse(yaml, "export-test.yaml");
  }

  /**
   * Runs the experiment to the end, then exports each of {@code stages} and checks it.
   *
   * @param yaml the experiment
   * @param output the output folder (the run folder is {@code output/<name>})
   * @param options the export options
   * @param optimization ONNX Runtime's level
   * @param stages the stages to export
   * @return one result per stage
   */
  static List<Result> runAndExport(
      String yaml,
      Path output,
      OnnxExportOptions options,
      OrtOptimization optimization,
      Stage... stages)
      throws Exception {
    ResolvedExperiment e = parse(yaml);
    List<Result> results = new ArrayList<>();
    try (ExperimentSession s =
        Sessions.open(
            REGISTRY,
            e,
            new SessionOptions(output, false, Stage.EFQAT, StopRequests.NEVER),
            SessionListener.NONE)) {
      s.run();
      Path folder = output.resolve(e.config().name());
      for (Stage stage : stages) {
        Network net = StageNetworks.restore(s, folder, stage);
        try {
          OnnxExport export = OnnxExporter.export(net, options);
          export.write(
              java.nio.file.Path.of("/tmp/export-" + stage + "-" + export.opset() + ".onnx"));
          try (OnnxRuntimeCheck check = OnnxRuntimeCheck.open(export, optimization)) {
            ExportCheck c = check.compare(net, s.data().testBatches(s.batchSize()), 1 << 30);
            assertThat(c.samples()).isEqualTo(s.data().testSize());
            Result result = new Result(stage, export, c);
            System.out.println(e.config().name() + " " + result); // measured values, for the README
            results.add(result);
          }
        } finally {
          net.release();
        }
      }
    }
    return results;
  }
}
