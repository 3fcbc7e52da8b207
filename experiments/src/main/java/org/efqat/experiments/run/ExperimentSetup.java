package org.efqat.experiments.run;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.quant.Quantizer;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.ExperimentConfig;
import org.efqat.core.config.QuantizationConfig;
import org.efqat.core.config.ResolvedComponent;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.inject.ExperimentModule;
import org.efqat.core.inject.PluginModule;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.LayerQuantization;
import org.efqat.core.nn.Network;
import org.efqat.core.profile.ProfilingBackend;
import org.efqat.core.ptq.PtqCalibrator;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.Evaluator;
import org.efqat.core.train.LearningRateSchedule;
import org.efqat.core.train.Optimizers;
import org.efqat.core.train.RowSelector;
import org.efqat.core.train.TrainableParameters;
import org.efqat.core.train.TrainingListener;
import org.efqat.models.ModelFactory;
import org.efqat.models.data.Augmentation;
import org.efqat.models.data.BatchIterator;
import org.efqat.models.data.DatasetLocator;
import org.efqat.models.data.ImageDataset;
import org.efqat.models.data.Normalization;
import org.efqat.models.data.TrainTestSplit;

/**
 * What every stage of an experiment needs, built once from a resolved experiment: the backend
 * (wrapped in a {@link ProfilingBackend}), the components, the data and the seeded random
 * streams. Each stage draws its own stream by name ({@code model.init}, {@code data.pretrain},
 * {@code data.calibration}, {@code data.efqat}), so two setups of one experiment on different
 * backends see the same initial weights and the same batches in the same order.
 */
public final class ExperimentSetup implements AutoCloseable {
  private final ResolvedExperiment experiment;
  private final Injector injector;
  private final ProfilingBackend backend;
  private final ComponentContext ctx;
  private final TrainTestSplit data;
  private final Normalization norm;

  private ExperimentSetup(ResolvedExperiment experiment, Injector injector,
      ProfilingBackend backend, TrainTestSplit data) {
    this.experiment = experiment;
    this.injector = injector;
    this.backend = backend;
    this.ctx = injector.getInstance(ComponentContext.class);
    this.data = data;
    this.norm = Normalization.forDataset(experiment.config().data().dataset());
  }

  /**
   * Creates the backend and loads the data.
   *
   * @param registry the components
   * @param experiment a validated experiment
   * @return the setup; close it to free the backend
   * @throws IOException if the dataset cannot be read
   */
  public static ExperimentSetup open(ComponentRegistry registry, ResolvedExperiment experiment)
      throws IOException {
    return open(registry, experiment, null);
  }

  /**
   * Creates the backend and uses the given data instead of {@code data.dataset} (benchmarks run
   * on generated images of any shape).
   *
   * @param registry the components
   * @param experiment a validated experiment
   * @param data the data, or {@code null} to load {@code data.dataset}
   * @return the setup; close it to free the backend
   * @throws IOException if the dataset cannot be read
   */
  public static ExperimentSetup open(ComponentRegistry registry, ResolvedExperiment experiment,
      TrainTestSplit data) throws IOException {
    Injector injector = Guice.createInjector(new PluginModule(registry),
        new ExperimentModule(experiment));
    Backend raw;
    try {
      raw = injector.getInstance(Backend.class);
    } catch (ProvisionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new RunException(cause.getMessage(), cause);
    }
    ProfilingBackend backend = new ProfilingBackend(raw);
    try {
      TrainTestSplit split = data;
      if (split == null) {
        var d = experiment.config().data();
        ComponentContext ctx = injector.getInstance(ComponentContext.class);
        split = DatasetLocator.system().load(d.dataset(),
            d.path() == null ? null : Path.of(d.path()), ctx.random("data.synthetic").nextLong())
            .head(d.trainSamples(), d.testSamples());
      }
      return new ExperimentSetup(experiment, injector, backend, split);
    } catch (IOException | RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /** @return the experiment */
  public ResolvedExperiment experiment() {
    return experiment;
  }

  /** @return its config */
  public ExperimentConfig config() {
    return experiment.config();
  }

  /** @return the backend, timed */
  public ProfilingBackend backend() {
    return backend;
  }

  /** @return the component context (seed, random streams) */
  public ComponentContext context() {
    return ctx;
  }

  /** @return the data, cut to {@code data.trainSamples}/{@code testSamples} */
  public TrainTestSplit data() {
    return data;
  }

  /** @return a freshly initialised network (stream {@code model.init}) */
  public Network newNetwork() {
    ImageDataset train = data.train();
    FeatureShape sample = new FeatureShape(1, train.height(), train.width(), train.channels());
    ExperimentConfig config = config();
    return ModelFactory.build(config.model().architecture(), backend, sample, train.classes(),
        config.model().width(), ctx.random("model.init"));
  }

  /**
   * Full-precision training ({@code pretrain:} section).
   *
   * @param net the network
   * @param listener progress
   * @return what happened
   */
  public EfqatTrainer.Result pretrain(Network net, TrainingListener listener) {
    var p = config().pretrain();
    var batches = trainBatches("data.pretrain", true);
    int steps = EfqatTrainer.stepsFor(batches, p.epochs(), batchSize());
    return new EfqatTrainer(net, Optimizers.create(p.optimizer()),
        TrainableParameters.forPretraining(net), null, 0, listener)
        .train(batches, p.epochs(), LearningRateSchedule.of(p.optimizer(), steps));
  }

  /**
   * PTQ (DESIGN.md 1.3): folds BatchNorm, picks each layer's quantizers (first and last layer
   * bits) and calibrates them on training batches (stream {@code data.calibration}).
   *
   * @param net a full-precision network
   */
  public void calibrate(Network net) {
    QuantizationConfig q = config().quantization();
    PtqCalibrator.calibrate(net, trainBatches("data.calibration", false), q.calibration(),
        (i, n, layer) -> quantizers(i, n));
  }

  /**
   * EfQAT training ({@code efqat:} and {@code optimizer:} sections).
   *
   * @param net a calibrated network
   * @param listener progress
   * @param epochs epochs to train; the learning-rate schedule still spans {@code efqat.epochs}
   * @return what happened
   */
  public EfqatTrainer.Result efqat(Network net, TrainingListener listener, double epochs) {
    var e = config().efqat();
    var opt = config().optimizer();
    var batches = trainBatches("data.efqat", true);
    int steps = EfqatTrainer.stepsFor(batches, e.epochs(), batchSize());
    RowSelector selector = new RowSelector(net, injector.getInstance(ImportanceMetric.class),
        injector.getInstance(FreezePolicy.class));
    return new EfqatTrainer(net, Optimizers.create(opt),
        TrainableParameters.forEfqat(net, e.alwaysTrain()), selector, e.interval(), listener)
        .train(batches, epochs, LearningRateSchedule.of(opt, steps));
  }

  /**
   * The first {@code steps} EfQAT steps, with the learning rates of the full run's schedule.
   *
   * @param net a calibrated network
   * @param steps the number of steps
   * @return what happened
   */
  public EfqatTrainer.Result efqatSteps(Network net, int steps) {
    int perEpoch = (data.train().size() + batchSize() - 1) / batchSize();
    return efqat(net, TrainingListener.NONE, (double) steps / perEpoch);
  }

  /**
   * @param net the network
   * @return accuracy and loss on the test split
   */
  public Evaluator.Result evaluate(Network net) {
    return Evaluator.evaluate(net, new DatasetBatches(
        BatchIterator.builder(data.test(), batchSize()).normalize(norm).build()));
  }

  /**
   * @param n samples
   * @return the first {@code n} normalised test images, NHWC, unshuffled
   */
  public float[] testImages(int n) {
    ImageDataset test = data.test();
    int count = Math.min(n, test.size());
    var it = BatchIterator.builder(test, count).normalize(norm).build();
    float[] images = new float[count * test.height() * test.width() * test.channels()];
    it.startEpoch();
    it.next(images, new int[count]);
    return images;
  }

  /** @return {@code data.batchSize} */
  public int batchSize() {
    return config().data().batchSize();
  }

  private DatasetBatches trainBatches(String stream, boolean augmentIfConfigured) {
    ImageDataset train = data.train();
    SplittableRandom random = ctx.random(stream);
    BatchIterator.Builder b =
        BatchIterator.builder(train, batchSize()).shuffle(random).normalize(norm);
    if (augmentIfConfigured && config().data().augment()) {
      b.augment(Augmentation.cropAndFlip(train.height() >= 32 ? 4 : 2), random.split());
    }
    return new DatasetBatches(b.build());
  }

  private LayerQuantization quantizers(int index, int count) {
    QuantizationConfig q = config().quantization();
    Integer bits = index == 0 ? q.firstLayerBits() : index == count - 1 ? q.lastLayerBits() : null;
    ResolvedComponent<?> w = experiment.weightQuantizer();
    ResolvedComponent<?> a = experiment.activationQuantizer();
    if (bits != null) {
      w = w.withOption("bits", bits);
      a = a.withOption("bits", bits);
    }
    return new LayerQuantization(w.<Quantizer>create(ctx), a.<Quantizer>create(ctx));
  }

  @Override
  public void close() {
    backend.close();
  }
}
