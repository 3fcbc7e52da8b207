package org.efqat.experiments.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.efqat.api.backend.Backend;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.config.ExperimentConfig;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.Network;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.Evaluator;

/**
 * Runs one experiment: pretrain (unless a checkpoint is given) → PTQ (calibrate, evaluate) →
 * EfQAT (train, evaluate). After each stage it writes {@code metrics.json}, {@code state.json}
 * and the stage's checkpoint atomically; a second run of the same resolved config continues after
 * the last completed stage.
 */
public final class ExperimentRunner {
  /** The stages, in order. */
  public enum Stage {
    /** Full-precision training or checkpoint loading. */
    PRETRAIN,
    /** Calibration and evaluation of the quantized model. */
    PTQ,
    /** EfQAT training and evaluation. */
    EFQAT
  }

  /**
   * @param output overrides {@code output:} of the file, or {@code null}
   * @param fresh discard an earlier run in the same folder
   * @param until the last stage to run
   * @param terminal whether to draw progress bars (else plain lines)
   */
  public record Options(Path output, boolean fresh, Stage until, boolean terminal) {}

  private final ComponentRegistry registry;
  private final PrintWriter out;

  /**
   * @param registry the components
   * @param out where progress and the summary go
   */
  public ExperimentRunner(ComponentRegistry registry, PrintWriter out) {
    this.registry = registry;
    this.out = out;
  }

  /**
   * @param experiment a validated experiment
   * @param options the run options
   * @return the run folder
   * @throws IOException if a file cannot be read or written
   */
  public Path run(ResolvedExperiment experiment, Options options) throws IOException {
    ExperimentConfig config = experiment.config();
    Path root = options.output() != null ? options.output() : Path.of(config.output());
    RunDirectory dir = new RunDirectory(root.resolve(config.name()));
    dir.create();
    String resolved = experiment.toYaml();
    ObjectNode state = options.fresh() ? dir.json().createObjectNode() : dir.readJson(RunDirectory.STATE);
    Set<Stage> done = completed(state);
    if (!done.isEmpty() && !resolved.equals(dir.readText(RunDirectory.CONFIG))) {
      throw new RunException(dir.path() + " holds a run of a different configuration ("
          + RunDirectory.CONFIG + " differs); pass --fresh to start over or change 'name'");
    }
    dir.writeText(RunDirectory.CONFIG, resolved);
    ObjectNode metrics = options.fresh() ? dir.json().createObjectNode() : dir.readJson(RunDirectory.METRICS);

    try (ExperimentSetup setup = ExperimentSetup.open(registry, experiment)) {
      Backend backend = setup.backend();
      dir.writeJson(RunDirectory.PROVENANCE,
          Provenance.of(experiment.source(), config.seed(), backend, registry));
      out.printf("efqat run %s: backend %s (%s), output %s%n", config.name(), backend.name(),
          backend.device(), dir.path());
      Network net = setup.newNetwork();
      try {
        return stages(setup, net, dir, state, metrics, done, options);
      } finally {
        net.release();
      }
    }
  }

  private Path stages(ExperimentSetup setup, Network net, RunDirectory dir, ObjectNode state,
      ObjectNode metrics, Set<Stage> done, Options options) throws IOException {
    ResolvedExperiment experiment = setup.experiment();
    ExperimentConfig config = setup.config();
    // ---- pretrain ----------------------------------------------------------------------
    Path fp = dir.file("fp.safetensors");
    if (done.contains(Stage.PRETRAIN) && Files.exists(fp)) {
      NetworkCheckpoint.load(net, fp);
      out.printf("  pretrain done earlier: loaded %s%n", fp);
    } else {
      ObjectNode m = metrics.putObject("fp");
      if (config.model().checkpoint() != null) {
        Path ckpt = Path.of(config.model().checkpoint());
        NetworkCheckpoint.load(net, ckpt);
        m.put("source", ckpt.toString());
      } else if (config.pretrain() != null) {
        var result = setup.pretrain(net,
            new ProgressPrinter("pretrain", out, options.terminal()));
        m.put("source", "pretrained");
        m.put("steps", result.steps());
        m.put("medianStepMs",
            result.times().medianForwardMs() + result.times().medianBackwardMs());
        putTimes(m, result);
      } else {
        throw new RunException("experiment " + experiment.source()
            + ": model.checkpoint or a pretrain section is required to get an FP model");
      }
      Evaluator.Result r = setup.evaluate(net);
      m.put("accuracy", r.accuracy());
      m.put("loss", r.loss());
      NetworkCheckpoint.save(net, fp, SafetensorsDtype.F32, Map.of("stage", "fp"));
      finish(dir, state, metrics, Stage.PRETRAIN);
      out.printf("  FP accuracy %.2f%%%n", 100 * r.accuracy());
    }
    if (options.until() == Stage.PRETRAIN) {
      return summary(dir, metrics);
    }
    // ---- PTQ ---------------------------------------------------------------------------
    setup.calibrate(net);
    if (!done.contains(Stage.PTQ)) {
      Evaluator.Result r = setup.evaluate(net);
      ObjectNode m = metrics.putObject("ptq");
      m.put("accuracy", r.accuracy());
      m.put("loss", r.loss());
      m.put("calibration", config.quantization().calibration().method());
      finish(dir, state, metrics, Stage.PTQ);
      out.printf("  PTQ accuracy %.2f%%%n", 100 * r.accuracy());
    }
    if (options.until() == Stage.PTQ || done.contains(Stage.EFQAT)) {
      return summary(dir, metrics);
    }
    // ---- EfQAT -------------------------------------------------------------------------
    var result = setup.efqat(net, new ProgressPrinter("efqat", out, options.terminal()),
        config.efqat().epochs());
    Evaluator.Result r = setup.evaluate(net);
    ObjectNode m = metrics.putObject("efqat");
    m.put("accuracy", r.accuracy());
    m.put("loss", r.loss());
    m.put("policy", experiment.freeze().provider().name());
    m.set("policyOptions", dir.json().valueToTree(experiment.freeze().toSpec().options()));
    m.put("unfrozenFraction", result.meanUnfrozenFraction());
    m.put("selections", result.selections());
    m.put("steps", result.steps());
    m.put("medianForwardMs", result.times().medianForwardMs());
    m.put("medianBackwardMs", result.times().medianBackwardMs());
    m.put("medianWeightGradientMs", result.times().medianWeightGradientMs());
    putTimes(m, result);
    NetworkCheckpoint.save(net, dir.file("efqat.safetensors"), SafetensorsDtype.F32,
        Map.of("stage", "efqat"));
    finish(dir, state, metrics, Stage.EFQAT);
    out.printf("  EfQAT accuracy %.2f%%%n", 100 * r.accuracy());
    return summary(dir, metrics);
  }

  /** Per-step forward, backward and weight-gradient milliseconds and losses. */
  private static void putTimes(ObjectNode m, EfqatTrainer.Result result) {
    ArrayNode fwd = m.putArray("forwardMs");
    result.times().forwardMs().forEach(fwd::add);
    ArrayNode bwd = m.putArray("backwardMs");
    result.times().backwardMs().forEach(bwd::add);
    ArrayNode wg = m.putArray("weightGradientMs");
    result.times().weightGradientMs().forEach(wg::add);
    ArrayNode losses = m.putArray("losses");
    result.losses().forEach(losses::add);
  }

  private static Set<Stage> completed(ObjectNode state) {
    Set<Stage> done = EnumSet.noneOf(Stage.class);
    if (state.has("completed")) {
      state.get("completed").forEach(n -> done.add(Stage.valueOf(n.asText())));
    }
    return done;
  }

  private static void finish(RunDirectory dir, ObjectNode state, ObjectNode metrics, Stage stage)
      throws IOException {
    dir.writeJson(RunDirectory.METRICS, metrics);
    ArrayNode list = state.has("completed") ? (ArrayNode) state.get("completed")
        : state.putArray("completed");
    if (!completed(state).contains(stage)) {
      list.add(stage.name());
    }
    dir.writeJson(RunDirectory.STATE, state);
  }

  private Path summary(RunDirectory dir, ObjectNode metrics) {
    new RunSummary(metrics).print(out);
    out.printf("results: %s%n", dir.file(RunDirectory.METRICS));
    out.flush();
    return dir.path();
  }
}
