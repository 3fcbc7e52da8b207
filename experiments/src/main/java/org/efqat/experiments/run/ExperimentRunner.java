package org.efqat.experiments.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.efqat.api.backend.Backend;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.quant.Quantizer;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.config.ExperimentConfig;
import org.efqat.core.config.QuantizationConfig;
import org.efqat.core.config.ResolvedComponent;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.inject.ExperimentModule;
import org.efqat.core.inject.PluginModule;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.Evaluator;
import org.efqat.core.train.LearningRateSchedule;
import org.efqat.core.train.Optimizers;
import org.efqat.core.train.RowSelector;
import org.efqat.core.train.TrainableParameters;
import org.efqat.models.ModelFactory;
import org.efqat.models.data.Augmentation;
import org.efqat.models.data.BatchIterator;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.ImageDataset;
import org.efqat.models.data.Normalization;
import org.efqat.models.data.TrainTestSplit;

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

    Injector injector = Guice.createInjector(new PluginModule(registry), new ExperimentModule(experiment));
    Backend backend = backend(injector);
    ComponentContext ctx = injector.getInstance(ComponentContext.class);
    dir.writeJson(RunDirectory.PROVENANCE,
        Provenance.of(experiment.source(), config.seed(), backend, registry));
    out.printf("efqat run %s: backend %s (%s), output %s%n", config.name(), backend.name(),
        backend.device(), dir.path());

    TrainTestSplit data = loadData(config, ctx);
    ImageDataset train = data.train();
    FeatureShape sample = new FeatureShape(1, train.height(), train.width(), train.channels());
    Network net = ModelFactory.build(config.model().architecture(), backend, sample,
        train.classes(), config.model().width(), ctx.random("model.init"));
    Normalization norm = Normalization.forDataset(config.data().dataset());
    int batch = config.data().batchSize();
    try {
      // ---- pretrain --------------------------------------------------------------------
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
          var opt = config.pretrain().optimizer();
          var batches = trainBatches(train, batch, norm, config, ctx.random("data.pretrain"));
          int steps = EfqatTrainer.stepsFor(batches, config.pretrain().epochs(), batch);
          var result = new EfqatTrainer(net, Optimizers.create(opt),
              TrainableParameters.forPretraining(net), null, 0,
              new ProgressPrinter("pretrain", out, options.terminal()))
              .train(batches, config.pretrain().epochs(), LearningRateSchedule.of(opt, steps));
          m.put("source", "pretrained");
          m.put("steps", result.steps());
          m.put("medianStepMs", result.times().medianForwardMs() + result.times().medianBackwardMs());
        } else {
          throw new RunException("experiment " + experiment.source()
              + ": model.checkpoint or a pretrain section is required to get an FP model");
        }
        Evaluator.Result r = Evaluator.evaluate(net, testBatches(data.test(), batch, norm));
        m.put("accuracy", r.accuracy());
        m.put("loss", r.loss());
        NetworkCheckpoint.save(net, fp, SafetensorsDtype.F32, Map.of("stage", "fp"));
        finish(dir, state, metrics, Stage.PRETRAIN);
        out.printf("  FP accuracy %.2f%%%n", 100 * r.accuracy());
      }
      if (options.until() == Stage.PRETRAIN) {
        return summary(dir, metrics);
      }
      // ---- PTQ -------------------------------------------------------------------------
      QuantizationConfig q = config.quantization();
      PtqCalibrator.calibrate(net,
          trainBatches(train, batch, norm, null, ctx.random("data.calibration")),
          q.calibration(), (i, n, layer) -> quantizers(experiment, ctx, i, n));
      if (!done.contains(Stage.PTQ)) {
        Evaluator.Result r = Evaluator.evaluate(net, testBatches(data.test(), batch, norm));
        ObjectNode m = metrics.putObject("ptq");
        m.put("accuracy", r.accuracy());
        m.put("loss", r.loss());
        m.put("calibration", q.calibration().method());
        finish(dir, state, metrics, Stage.PTQ);
        out.printf("  PTQ accuracy %.2f%%%n", 100 * r.accuracy());
      }
      if (options.until() == Stage.PTQ || done.contains(Stage.EFQAT)) {
        return summary(dir, metrics);
      }
      // ---- EfQAT -----------------------------------------------------------------------
      var e = config.efqat();
      var opt = config.optimizer();
      var batches = trainBatches(train, batch, norm, config, ctx.random("data.efqat"));
      int steps = EfqatTrainer.stepsFor(batches, e.epochs(), batch);
      RowSelector selector = new RowSelector(net, injector.getInstance(ImportanceMetric.class),
          injector.getInstance(FreezePolicy.class));
      var result = new EfqatTrainer(net, Optimizers.create(opt),
          TrainableParameters.forEfqat(net, e.alwaysTrain()), selector, e.interval(),
          new ProgressPrinter("efqat", out, options.terminal()))
          .train(batches, e.epochs(), LearningRateSchedule.of(opt, steps));
      Evaluator.Result r = Evaluator.evaluate(net, testBatches(data.test(), batch, norm));
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
      ArrayNode fwd = m.putArray("forwardMs");
      result.times().forwardMs().forEach(fwd::add);
      ArrayNode bwd = m.putArray("backwardMs");
      result.times().backwardMs().forEach(bwd::add);
      ArrayNode losses = m.putArray("losses");
      result.losses().forEach(losses::add);
      NetworkCheckpoint.save(net, dir.file("efqat.safetensors"), SafetensorsDtype.F32,
          Map.of("stage", "efqat"));
      finish(dir, state, metrics, Stage.EFQAT);
      out.printf("  EfQAT accuracy %.2f%%%n", 100 * r.accuracy());
      return summary(dir, metrics);
    } finally {
      net.release();
      backend.close();
    }
  }

  private static Backend backend(Injector injector) {
    try {
      return injector.getInstance(Backend.class);
    } catch (ProvisionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new RunException(cause.getMessage(), cause);
    }
  }

  private static LayerQuantization quantizers(ResolvedExperiment exp, ComponentContext ctx,
      int index, int count) {
    QuantizationConfig q = exp.config().quantization();
    Integer bits = index == 0 ? q.firstLayerBits() : index == count - 1 ? q.lastLayerBits() : null;
    ResolvedComponent<?> w = exp.weightQuantizer();
    ResolvedComponent<?> a = exp.activationQuantizer();
    if (bits != null) {
      w = w.withOption("bits", bits);
      a = a.withOption("bits", bits);
    }
    return new LayerQuantization(w.<Quantizer>create(ctx), a.<Quantizer>create(ctx));
  }

  private static TrainTestSplit loadData(ExperimentConfig config, ComponentContext ctx)
      throws IOException {
    var d = config.data();
    TrainTestSplit split = DatasetLocator.system().load(d.dataset(),
        d.path() == null ? null : Path.of(d.path()), ctx.random("data.synthetic").nextLong());
    return split.head(d.trainSamples(), d.testSamples());
  }

  private static DatasetBatches trainBatches(ImageDataset train, int batch, Normalization norm,
      ExperimentConfig augmentFrom, java.util.SplittableRandom random) {
    BatchIterator.Builder b = BatchIterator.builder(train, batch).shuffle(random).normalize(norm);
    if (augmentFrom != null && augmentFrom.data().augment()) {
      b.augment(Augmentation.cropAndFlip(train.height() >= 32 ? 4 : 2), random.split());
    }
    return new DatasetBatches(b.build());
  }

  private static DatasetBatches testBatches(ImageDataset test, int batch, Normalization norm) {
    return new DatasetBatches(BatchIterator.builder(test, batch).normalize(norm).build());
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
