package org.efqat.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunException;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunImportance;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.Stage;
import org.efqat.experiments.importance.ImportancePlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code efqat importance RUN_DIR}: every row's importance of one stage of a run (Figure 3). */
@Command(
    name = "importance",
    mixinStandardHelpOptions = true,
    description = {
      "Score every row of every weight layer of a run's stage with the run's importance metric"
          + " (efqat.importance) and draw it, like the EfQAT paper's Figure 3.",
      "Writes importance-<stage>.csv (layer,row,index,importance,outlier),"
          + " importance-<stage>.json (per-layer statistics and the outliers: rows above the"
          + " network mean + 3 std), importance-<stage>.png (every row in network order) and"
          + " importance-<stage>-layers.png (a box plot per layer)."
    })
final class ImportanceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder of 'efqat run'.")
  Path runDir;

  @Option(
      names = "--stage",
      defaultValue = "efqat",
      paramLabel = "fp|ptq|efqat",
      description = "Whose weights: fp, ptq (FP after calibration) or efqat (default).")
  String stage;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      description = "An importance metric instead of the run's efqat.importance.")
  String metric;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the files go (default: the run folder).")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Stage s =
        Arrays.stream(Stage.values())
            .filter(x -> x.fileStem().equals(stage))
            .findFirst()
            .orElse(null);
    if (s == null) {
      err.println("efqat importance: --stage must be fp, ptq or efqat (was " + stage + ")");
      return EfqatCli.EXIT_INVALID;
    }
    Path config = runDir.resolve(RunFolder.CONFIG);
    if (!Files.isDirectory(runDir)) {
      err.println("efqat: error: no run folder " + runDir);
      return EfqatCli.EXIT_FAILURE;
    }
    if (!Files.isRegularFile(config)) {
      err.println("efqat: error: " + runDir + " is not a run folder (no " + RunFolder.CONFIG + ")");
      return EfqatCli.EXIT_FAILURE;
    }
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ResolvedExperiment experiment;
    try {
      ExperimentLoader loader = new ExperimentLoader(registry);
      experiment =
          metric == null
              ? loader.load(config)
              : loader.parse(withMetric(Files.readString(config), metric), config.toString());
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return EfqatCli.EXIT_INVALID;
    }
    RowImportance imp;
    try (ExperimentSession session = Sessions.openRun(registry, experiment, runDir)) {
      imp = RunImportance.compute(session, runDir, s);
    } catch (RunException e) {
      err.println("efqat: error: " + e.getMessage());
      return EfqatCli.EXIT_FAILURE;
    }
    Path outDir = output == null ? runDir : output;
    Files.createDirectories(outDir);
    RunFolder out = new RunFolder(outDir);
    String stem = "importance-" + s.fileStem();
    String title = experiment.config().name() + " (" + s.fileStem() + ")";
    out.writeText(stem + ".csv", imp.toCsv());
    out.writeJson(stem + ".json", imp);
    out.writeBytes(stem + ".png", ImportancePlots.network("Row importance: " + title, imp));
    out.writeBytes(
        stem + "-layers.png", ImportancePlots.layers("Row importance per layer: " + title, imp));
    print(spec.commandLine().getOut(), imp, outDir, stem);
    return 0;
  }

  /** The resolved config with {@code efqat.importance} replaced by {@code {type: name}}. */
  private static String withMetric(String yaml, String name) throws IOException {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) mapper.readTree(yaml);
    ObjectNode efqat = root.get("efqat") instanceof ObjectNode o ? o : root.putObject("efqat");
    efqat.putObject("importance").put("type", name);
    return mapper.writeValueAsString(root);
  }

  private static void print(PrintWriter out, RowImportance imp, Path dir, String stem) {
    int width =
        Math.max(
            "layer".length(),
            imp.layers().stream().mapToInt(l -> l.layer().length()).max().orElse(0));
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %6s %10s %10s %8s%n",
        "layer",
        "rows",
        "mean",
        "max",
        "outliers");
    for (RowImportance.LayerRows l : imp.layers()) {
      out.printf(
          Locale.ROOT,
          "%-" + width + "s %6d %10.4g %10.4g %8d%n",
          l.layer(),
          l.rows(),
          l.mean(),
          l.max(),
          l.outliers());
    }
    out.printf(
        Locale.ROOT,
        "network: %d rows, mean %.4g, std %.4g, max %.4g; %d outliers above %.4g (mean + 3 std)%n",
        imp.totalRows(),
        imp.mean(),
        imp.std(),
        imp.max(),
        imp.outliers().size(),
        imp.outlierThreshold());
    imp.outliers().stream()
        .limit(10)
        .forEach(
            o ->
                out.printf(Locale.ROOT, "  %s row %d: %.4g%n", o.layer(), o.row(), o.importance()));
    out.println(
        "wrote "
            + dir.resolve(stem + ".csv")
            + ", "
            + stem
            + ".json, "
            + stem
            + ".png, "
            + stem
            + "-layers.png");
    out.flush();
  }
}
