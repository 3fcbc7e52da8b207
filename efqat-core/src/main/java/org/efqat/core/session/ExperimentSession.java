package org.efqat.core.session;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.config.CalibrationConfig;
import org.efqat.core.config.ExperimentConfig;
import org.efqat.core.config.OptimizerConfig;
import org.efqat.core.config.ResolvedComponent;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.data.InputFile;
import org.efqat.core.data.LoadedDataset;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.profile.ProfilingBackend;
import org.efqat.core.ptq.FullPrecisionWeights;
import org.efqat.core.ptq.LayerReport;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.ptq.PtqRefinement;
import org.efqat.core.ptq.PtqRefinementProvider;
import org.efqat.core.ptq.RangeEstimator;
import org.efqat.core.ptq.RefinementContext;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.Batches;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.Evaluator;
import org.efqat.core.train.LearningRateSchedule;
import org.efqat.core.train.NonFiniteValues;
import org.efqat.core.train.Optimizer;
import org.efqat.core.train.RowSelector;
import org.efqat.core.train.Schedule;
import org.efqat.core.train.StageInterruptedException;
import org.efqat.core.train.StepHook;
import org.efqat.core.train.TrainableParameters;
import org.efqat.core.train.TrainingDivergedException;
import org.efqat.core.train.TrainingListener;
import org.efqat.core.train.TrainingProgress;

/**
 * One experiment on one backend, as a library: the stages (pretrain or load → PTQ → EfQAT →
 * evaluate), the run folder with resume from the last checkpoint, provenance and typed metrics.
 * Built by {@link Sessions#open} (the composition root); close it to free the backend.
 *
 * <p>Random streams, each drawn from the run's seed by name: {@code model.init} (initial weights),
 * {@code data.pretrain}, {@code data.calibration} and {@code data.efqat} (batch order and
 * augmentation of each stage), {@code calibration.refine} (the PTQ refinements' draws). Two
 * sessions of one experiment on different backends therefore see the same initial weights and the
 * same batches in the same order.
 */
public final class ExperimentSession implements AutoCloseable {
  private final ResolvedExperiment experiment;
  private final SessionOptions options;
  private final ComponentContext context;
  private final ProfilingBackend backend;
  private final LoadedDataset data;
  private final ModelArchitecture architecture;
  private final RangeEstimator calibration;
  private final List<PtqRefinement> refinements;
  private final LayerQuantizers quantizers;
  private final ComponentRegistry registry;
  private final SessionListener listener;

  /**
   * @param experiment the validated experiment
   * @param options how to run it
   * @param context the seeded context
   * @param data the dataset, cut to {@code data.trainSamples}/{@code testSamples} (injected before
   *     the backend, so that a dataset error leaves no backend open)
   * @param backend the backend, timed
   * @param architecture the model
   * @param calibration the PTQ calibration method
   * @param refinements the PTQ refinements, in {@code quantization.calibration.refine} order
   * @param quantizers each layer's quantizers
   * @param registry every registered component (for provenance)
   * @param listener progress and events
   */
  @Inject
  ExperimentSession(
      ResolvedExperiment experiment,
      SessionOptions options,
      ComponentContext context,
      LoadedDataset data,
      ProfilingBackend backend,
      ModelArchitecture architecture,
      RangeEstimator calibration,
      List<PtqRefinement> refinements,
      LayerQuantizers quantizers,
      ComponentRegistry registry,
      SessionListener listener) {
    this.experiment = experiment;
    this.options = options;
    this.context = context;
    this.backend = backend;
    this.data = data;
    this.architecture = architecture;
    this.calibration = calibration;
    this.refinements = List.copyOf(refinements);
    this.quantizers = quantizers;
    this.registry = registry;
    this.listener = listener;
  }

  /**
   * @return the experiment
   */
  public ResolvedExperiment experiment() {
    return experiment;
  }

  /**
   * @return its config
   */
  public ExperimentConfig config() {
    return experiment.config();
  }

  /**
   * @return the backend, timed
   */
  public ProfilingBackend backend() {
    return backend;
  }

  /**
   * @return the seeded component context
   */
  public ComponentContext context() {
    return context;
  }

  /**
   * @return the data
   */
  public LoadedDataset data() {
    return data;
  }

  /**
   * @return the run folder this session writes ({@code <output>/<name>/})
   */
  public Path runFolder() {
    Path root = options.output() != null ? options.output() : Path.of(config().output());
    return root.resolve(config().name());
  }

  // ---- the pipeline --------------------------------------------------------------------------

  /**
   * Runs the stages up to {@link SessionOptions#until()} in the run folder, continuing an earlier
   * run of the same resolved config: completed stages are not run again and an interrupted training
   * stage continues from its resume checkpoint, giving the same numbers as an uninterrupted run.
   *
   * @return the run folder and everything measured
   * @throws IOException if a file cannot be read or written
   * @throws RunException if the folder holds another experiment's run or its inputs changed
   * @throws RunInterruptedException if SIGINT/SIGTERM stopped a training stage (after a checkpoint)
   */
  public RunResult run() throws IOException {
    RunFolder dir = new RunFolder(runFolder());
    dir.open();
    if (options.fresh()) {
      dir.clear();
    }
    RunState state = dir.readState();
    boolean started = !state.completed().isEmpty() || anyResumeCheckpoint(dir);
    String resolved = experiment.toYaml();
    if (started) {
      String earlier = dir.readText(RunFolder.CONFIG);
      if (earlier == null) {
        throw new RunException(
            dir.file(RunFolder.CONFIG)
                + " is missing from a started run;"
                + " pass --fresh to start over");
      }
      if (!resolved.equals(earlier)) {
        throw new RunException(
            dir.path()
                + " holds a run of a different configuration ("
                + RunFolder.CONFIG
                + " differs); pass --fresh to start over or change 'name'");
      }
    }
    List<InputFile> inputs = inputs();
    if (started && !state.inputs().equals(inputs)) {
      throw new RunException(
          dir.path()
              + ": "
              + changedInput(state.inputs(), inputs)
              + " changed since the run started; pass --fresh to start over");
    }
    state = state.withInputs(inputs);
    dir.writeText(RunFolder.CONFIG, resolved);
    dir.writeJson(RunFolder.STATE, state);
    dir.writeJson(
        RunFolder.PROVENANCE,
        Provenance.of(experiment.source(), config().seed(), backend, registry, inputs));
    RunMetrics metrics = dir.readMetrics();
    for (Stage stage : state.completed()) {
      if (!metrics.has(stage)) {
        throw new RunException(
            dir.file(RunFolder.METRICS)
                + " has no results of stage "
                + stage
                + ", which "
                + RunFolder.STATE
                + " says completed; pass --fresh to start over");
      }
    }
    listener.started(config().name(), backend, dir.path());
    Network net = newNetwork();
    try {
      return new RunResult(dir.path(), stages(dir, net, state, metrics));
    } finally {
      net.release();
    }
  }

  private RunMetrics stages(RunFolder dir, Network net, RunState state, RunMetrics metrics)
      throws IOException {
    // ---- pretrain ----
    Path fp = dir.file(Stage.PRETRAIN.checkpointFile());
    if (state.isComplete(Stage.PRETRAIN)) {
      requireCheckpoint(fp, Stage.PRETRAIN);
      NetworkCheckpoint.load(net, fp);
      listener.reused(Stage.PRETRAIN, "loaded " + fp);
    } else if (options.shared().fp() != null) {
      RunFolder from = sharedStage(options.shared().fp(), Stage.PRETRAIN);
      NetworkCheckpoint.load(net, from.file(Stage.PRETRAIN.checkpointFile()));
      linkOrCopy(from.file(Stage.PRETRAIN.checkpointFile()), fp);
      metrics = finish(dir, state, metrics.withFp(from.readMetrics().fp()), Stage.PRETRAIN);
      state = state.complete(Stage.PRETRAIN);
      listener.reused(Stage.PRETRAIN, "shared stage " + from.path());
    } else {
      RunMetrics.FpStage m;
      if (config().model().checkpoint() != null) {
        Path ckpt = Path.of(config().model().checkpoint());
        NetworkCheckpoint.load(net, ckpt, config().model().keyMap());
        m = new RunMetrics.FpStage(ckpt.toString(), evaluate(net), null);
      } else if (config().pretrain() != null) {
        EfqatTrainer.Result r = trainStage(Stage.PRETRAIN, net, dir);
        m = new RunMetrics.FpStage("pretrained", evaluate(net), RunMetrics.Training.of(r));
      } else {
        throw new RunException(
            "experiment "
                + experiment.source()
                + ": model.checkpoint or a pretrain section is required to get an FP model");
      }
      NetworkCheckpoint.save(net, fp, SafetensorsDtype.F32, Map.of("stage", "fp"));
      metrics = finish(dir, state, metrics.withFp(m), Stage.PRETRAIN);
      state = state.complete(Stage.PRETRAIN);
    }
    if (options.until() == Stage.PRETRAIN) {
      return metrics;
    }
    // ---- PTQ ----
    Path ptq = dir.file(Stage.PTQ.checkpointFile());
    if (state.isComplete(Stage.PTQ) && Files.isRegularFile(ptq)) {
      restoreCalibrated(net, ptq);
      listener.reused(Stage.PTQ, "loaded " + ptq);
    } else if (state.isComplete(Stage.PTQ)) {
      calibrate(net); // a run folder from before PTQ checkpoints: calibrate again (deterministic)
    } else if (options.shared().ptq() != null) {
      RunFolder from = sharedStage(options.shared().ptq(), Stage.PTQ);
      restoreCalibrated(net, from.file(Stage.PTQ.checkpointFile()));
      linkOrCopy(from.file(Stage.PTQ.checkpointFile()), ptq);
      metrics = finish(dir, state, metrics.withPtq(from.readMetrics().ptq()), Stage.PTQ);
      state = state.complete(Stage.PTQ);
      listener.reused(Stage.PTQ, "shared stage " + from.path());
    } else {
      CalibrationResult calibrated = calibrate(net);
      NetworkCheckpoint.save(net, ptq, SafetensorsDtype.F32, Map.of("stage", "ptq"));
      metrics =
          finish(
              dir,
              state,
              metrics.withPtq(
                  new RunMetrics.PtqStage(
                      experiment.calibration().provider().name(),
                      evaluate(net),
                      calibrated.refinements(),
                      calibrated.seconds())),
              Stage.PTQ);
      state = state.complete(Stage.PTQ);
    }
    if (options.until() == Stage.PTQ) {
      return metrics;
    }
    // ---- EfQAT ----
    if (state.isComplete(Stage.EFQAT)) {
      requireCheckpoint(dir.file(Stage.EFQAT.checkpointFile()), Stage.EFQAT);
      listener.reused(Stage.EFQAT, "metrics in " + dir.file(RunFolder.METRICS));
      return metrics;
    }
    EfqatTrainer.Result r = trainStage(Stage.EFQAT, net, dir);
    RunMetrics.EfqatStage m =
        new RunMetrics.EfqatStage(
            experiment.freeze().provider().name(),
            experiment.freeze().toSpec().options(),
            evaluate(net),
            RunMetrics.Training.of(r));
    NetworkCheckpoint.save(
        net,
        dir.file(Stage.EFQAT.checkpointFile()),
        SafetensorsDtype.F32,
        Map.of("stage", "efqat"));
    return finish(dir, state, metrics.withEfqat(m), Stage.EFQAT);
  }

  /**
   * @return the shared stage's run folder, checked to have completed {@code stage} with its
   *     checkpoint and metrics
   */
  private static RunFolder sharedStage(Path folder, Stage stage) {
    RunFolder from = new RunFolder(folder);
    RunMetrics m = from.readMetrics();
    boolean metricsThere = stage == Stage.PRETRAIN ? m.fp() != null : m.ptq() != null;
    if (!from.readState().isComplete(stage)
        || !metricsThere
        || !Files.isRegularFile(from.file(stage.checkpointFile()))) {
      throw new RunException(
          "shared stage "
              + folder
              + " has not completed "
              + stage
              + " (no "
              + stage.checkpointFile()
              + " or metrics there); run the sweep's shared stages first");
    }
    return from;
  }

  /** A hard link where the file system allows one (checkpoints are never rewritten in place). */
  private static void linkOrCopy(Path from, Path to) throws IOException {
    Files.deleteIfExists(to);
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(from, to);
    }
  }

  /**
   * Rebuilds the calibrated network of this experiment from its PTQ checkpoint instead of
   * calibrating again: the same quantizers as {@link #calibrate} with placeholder parameters, a
   * zero bias on every weight layer whose {@code <layer>.bias} the file holds but the network lacks
   * (PTQ refinements such as {@code bias-correction} add them), then every parameter (weights,
   * biases, steps, zero points) from the file. The refinements are not run again: their result
   * (AdaRound's baked weights, corrected biases, re-estimated ranges) is in the file.
   *
   * @param net a full-precision network
   * @param ptqCheckpoint {@code ptq.safetensors} of a run of the same experiment
   */
  public void restoreCalibrated(Network net, Path ptqCheckpoint) {
    PtqCalibrator.quantizeUncalibrated(
        net,
        config().quantization().calibration().foldBatchNorm(),
        (i, n, layer) -> quantizers.forLayer(i, n),
        site -> quantizers.forActivations());
    addBiasesHeldBy(net, ptqCheckpoint);
    NetworkCheckpoint.load(net, ptqCheckpoint);
  }

  /** Gives a weight layer a bias when the checkpoint holds {@code <layer>.bias} and it has none. */
  private static void addBiasesHeldBy(Network net, Path checkpoint) {
    java.util.Set<String> names = new java.util.HashSet<>();
    SafetensorsReader.readHeader(checkpoint).entries().forEach(e -> names.add(e.name()));
    for (WeightLayer l : net.weightLayers()) {
      if (l.bias() == null && names.contains(l.name() + ".bias")) {
        l.ensureBias();
      }
    }
  }

  /** Runs a training stage in the run folder, from its resume checkpoint if there is one. */
  private EfqatTrainer.Result trainStage(Stage stage, Network net, RunFolder dir) {
    StageTraining t = stage == Stage.EFQAT ? efqatTraining(net, experiment) : pretraining(net);
    Path resumeFile = dir.file(stage.resumeFile());
    ResumeCheckpoint.Parts parts =
        new ResumeCheckpoint.Parts(stage, net, t.optimizer(), t.trainable(), t.selector());
    TrainingProgress resume = null;
    if (Files.exists(resumeFile)) {
      resume = ResumeCheckpoint.load(resumeFile, parts);
      listener.resumed(stage, resume.step());
    }
    CheckpointingHook hook =
        new CheckpointingHook(resumeFile, parts, config().checkpointEvery(), options.stop());
    options.stop().training(true);
    try {
      EfqatTrainer.Result r =
          t.trainer(listener.progress(stage))
              .train(t.batches(), t.epochs(), t.schedule(), resume, hook);
      Optional<String> bad = NonFiniteValues.first(net, false);
      if (bad.isPresent()) {
        throw new TrainingDivergedException(r.steps(), "after the last step, " + bad.get());
      }
      return r;
    } catch (TrainingDivergedException e) {
      throw new RunDivergedException(
          stage, e, Files.exists(resumeFile) ? resumeFile : null, hook.lastStep());
    } catch (StageInterruptedException e) {
      listener.interrupted(stage, hook.lastStep(), resumeFile);
      throw new RunInterruptedException(
          stage, hook.lastStep(), resumeFile, options.stop().exitCode());
    } finally {
      options.stop().training(false);
    }
  }

  /** Marks a stage complete: metrics, then state, then removes its resume checkpoint. */
  private RunMetrics finish(RunFolder dir, RunState state, RunMetrics metrics, Stage stage)
      throws IOException {
    dir.writeJson(RunFolder.METRICS, metrics);
    dir.writeJson(RunFolder.STATE, state.complete(stage));
    Files.deleteIfExists(dir.file(stage.resumeFile()));
    listener.finished(stage, metrics);
    return metrics;
  }

  private static boolean anyResumeCheckpoint(RunFolder dir) {
    return Arrays.stream(Stage.values()).anyMatch(s -> Files.exists(dir.file(s.resumeFile())));
  }

  private static void requireCheckpoint(Path file, Stage stage) {
    if (!Files.isRegularFile(file)) {
      throw new RunException(
          file
              + " is missing, but "
              + RunFolder.STATE
              + " says stage "
              + stage
              + " completed; pass --fresh to start over");
    }
  }

  /**
   * @return the FP checkpoint (if any) and the dataset's files, with sizes and hashes
   */
  private List<InputFile> inputs() throws IOException {
    List<InputFile> files = new ArrayList<>();
    if (config().model().checkpoint() != null) {
      Path ckpt = Path.of(config().model().checkpoint());
      if (!Files.isRegularFile(ckpt)) {
        throw new RunException("model.checkpoint: " + ckpt + " is not a file");
      }
      files.add(InputFile.of(ckpt));
    }
    files.addAll(data.inputFiles());
    return files;
  }

  private static String changedInput(List<InputFile> before, List<InputFile> now) {
    for (InputFile b : before) {
      if (!now.contains(b)) {
        return b.name();
      }
    }
    for (InputFile n : now) {
      if (!before.contains(n)) {
        return n.name();
      }
    }
    return "the list of input files";
  }

  // ---- the building blocks (also used by bench and compare) -----------------------------------

  /**
   * @return a freshly initialized FP network on this session's backend (stream {@code model.init})
   */
  public Network newNetwork() {
    return architecture.build(
        backend, data.sampleShape(), data.classes(), context.random("model.init"));
  }

  /**
   * PTQ (DESIGN.md 1.3): folds BatchNorm if configured, picks each layer's quantizers (and those of
   * the activations outside weight layers, such as attention's matmul operands when the model
   * quantizes them) and calibrates them on training batches (stream {@code data.calibration}), then
   * applies the refinements of {@code quantization.calibration.refine} in order, on the same
   * batches (their mini-batch draws from stream {@code calibration.refine}, split per refinement).
   * Every session path that loads a quantized checkpoint calls this first, so a network whose
   * layers gained a bias here (bias correction) matches the checkpoint.
   *
   * @param net a full-precision network
   * @return the refinements applied and the wall time
   */
  public CalibrationResult calibrate(Network net) {
    long t0 = System.nanoTime();
    calibrateRanges(net);
    List<RunMetrics.Refinement> applied = refine(net);
    return new CalibrationResult(applied, (System.nanoTime() - t0) / 1e9);
  }

  /** Runs {@code quantization.calibration.refine} on a calibrated network. */
  private List<RunMetrics.Refinement> refine(Network net) {
    CalibrationConfig c = config().quantization().calibration();
    List<ResolvedComponent<PtqRefinementProvider<?>>> specs = experiment.refinements();
    SplittableRandom stream = context.random("calibration.refine");
    List<RunMetrics.Refinement> applied = new ArrayList<>();
    FullPrecisionWeights reference =
        refinements.isEmpty() ? null : FullPrecisionWeights.of(net); // before any refinement
    for (int i = 0; i < refinements.size(); i++) {
      long t0 = System.nanoTime();
      ResolvedComponent<PtqRefinementProvider<?>> spec = specs.get(i);
      List<LayerReport> layers =
          refinements
              .get(i)
              .refine(
                  net,
                  () -> data.trainBatches(batchSize(), context.random("data.calibration"), false),
                  new RefinementContext(c.batches(), stream.split(), listener::refined, reference));
      applied.add(
          new RunMetrics.Refinement(
              spec.provider().name(),
              spec.toSpec().options(),
              (System.nanoTime() - t0) / 1e9,
              layers));
    }
    return applied;
  }

  /** Range calibration: {@link PtqCalibrator} with this experiment's choices. */
  private void calibrateRanges(Network net) {
    CalibrationConfig c = config().quantization().calibration();
    int available = (data.trainSize() + batchSize() - 1) / batchSize();
    if (c.batches() > available) {
      throw new RunException(
          "quantization.calibration.batches is "
              + c.batches()
              + " but the training data has only "
              + available
              + " batches of "
              + batchSize()
              + "; lower it");
    }
    PtqCalibrator.calibrate(
        net,
        data.trainBatches(batchSize(), context.random("data.calibration"), false),
        c.batches(),
        c.foldBatchNorm(),
        calibration,
        (i, n, layer) -> quantizers.forLayer(i, n),
        site -> quantizers.forActivations(),
        context.random("calibration.sampling"));
  }

  /**
   * @param net the network
   * @return accuracy and loss on the test split
   */
  public RunMetrics.Evaluation evaluate(Network net) {
    Evaluator.Result r = Evaluator.evaluate(net, data.testBatches(batchSize()));
    return new RunMetrics.Evaluation(r.accuracy(), r.loss(), r.samples());
  }

  /**
   * The EfQAT stage of an experiment on this session's backend and data: its optimizer, schedule,
   * importance metric, freeze policy, interval and always-trained parameters (stream {@code
   * data.efqat}). {@code variant} is normally {@link #experiment()}; {@code efqat bench} passes
   * variants with other policies and fractions.
   *
   * @param net a calibrated network
   * @param variant the experiment whose {@code efqat:} and {@code optimizer:} sections apply
   * @return what the stage trains with
   */
  public StageTraining efqatTraining(Network net, ResolvedExperiment variant) {
    ExperimentConfig c = variant.config();
    RowSelector selector =
        new RowSelector(
            net,
            variant.importance().<ImportanceMetric>create(context),
            variant.freeze().<FreezePolicy>create(context));
    return stage(
        net,
        c.optimizer(),
        variant.optimizer(),
        variant.schedule(),
        c.efqat().epochs(),
        TrainableParameters.forEfqat(net, c.efqat().alwaysTrain()),
        selector,
        c.efqat().interval(),
        "data.efqat",
        c.data().augment());
  }

  /**
   * The pretraining stage ({@code pretrain:} section; stream {@code data.pretrain}).
   *
   * @param net a freshly initialized network
   * @return what the stage trains with
   * @throws RunException if the experiment has no {@code pretrain:} section
   */
  public StageTraining pretraining(Network net) {
    if (config().pretrain() == null) {
      throw new RunException(experiment.source() + ": no pretrain section");
    }
    return stage(
        net,
        config().pretrain().optimizer(),
        experiment.pretrainOptimizer(),
        experiment.pretrainSchedule(),
        config().pretrain().epochs(),
        TrainableParameters.forPretraining(net),
        null,
        0,
        "data.pretrain",
        config().data().augment());
  }

  private StageTraining stage(
      Network net,
      OptimizerConfig oc,
      ResolvedComponent<?> optimizer,
      ResolvedComponent<?> schedule,
      double epochs,
      List<Parameter> trainable,
      RowSelector selector,
      long interval,
      String stream,
      boolean augment) {
    Batches batches = data.trainBatches(batchSize(), context.random(stream), augment);
    int steps = EfqatTrainer.stepsFor(batches, epochs, batchSize());
    LearningRateSchedule lr =
        LearningRateSchedule.of(
            oc.lr(), oc.warmupSteps(), schedule.<Schedule>create(context), steps);
    return new StageTraining(
        net,
        optimizer.<Optimizer>create(context),
        trainable,
        selector,
        interval,
        batches,
        epochs,
        lr,
        config().divergence().maxLoss());
  }

  /**
   * The first {@code steps} EfQAT steps, with the learning rates of the full stage's schedule.
   *
   * @param net a calibrated network
   * @param steps the number of steps
   * @return what happened
   */
  public EfqatTrainer.Result efqatSteps(Network net, int steps) {
    StageTraining t = efqatTraining(net, experiment);
    int perEpoch = (data.trainSize() + batchSize() - 1) / batchSize();
    return t.trainer(TrainingListener.NONE)
        .train(t.batches(), (double) steps / perEpoch, t.schedule(), null, StepHook.NONE);
  }

  /**
   * @param n samples
   * @return the first {@code min(n, test size)} normalized test images, NHWC, in order
   */
  public float[] testImages(int n) {
    Batches test = data.testBatches(Math.min(n, data.testSize()));
    float[] images = new float[(int) (test.batchSize() * data.sampleShape().size())];
    test.startEpoch(0);
    int count = test.next(images, new int[test.batchSize()]);
    return Arrays.copyOf(images, (int) (count * data.sampleShape().size()));
  }

  /**
   * @return {@code data.batchSize}
   */
  public int batchSize() {
    return config().data().batchSize();
  }

  @Override
  public void close() {
    backend.close();
  }
}
