package org.efqat.experiments.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.Network;
import org.efqat.core.profile.KernelProfile;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.InMemoryBatches;
import org.efqat.core.train.LearningRateSchedule;
import org.efqat.core.train.Optimizers;
import org.efqat.core.train.RowSelector;
import org.efqat.core.train.TrainableParameters;
import org.efqat.core.train.TrainingListener;
import org.efqat.experiments.run.ExperimentSetup;
import org.efqat.models.data.ImageDataset;
import org.efqat.models.data.TrainTestSplit;

/**
 * Runs a {@link BenchSpec}: per backend one network (seeded weights, PTQ-calibrated on generated
 * images, BatchNorm folded as in {@code efqat run}), then for every round and every (policy, p)
 * a block of {@code warmup + steps} EfQAT training steps on the same batch. Rows are selected once
 * per block, outside the timed region; frozen rows skip their weight-gradient work as in a real
 * run. Times come from the trainer (forward incl. loss, backward, whole step incl. optimizer) and
 * from a {@link LayerTimes} profiler on the network (per layer, dX and dW).
 */
final class BenchRunner {
  private final ComponentRegistry registry;
  private final PrintWriter out;

  BenchRunner(ComponentRegistry registry, PrintWriter out) {
    this.registry = registry;
    this.out = out;
  }

  /**
   * @param spec what to measure
   * @return one result per (backend, policy, p), backends outermost, in spec order
   * @throws ExperimentValidationException if a name or option is not valid
   * @throws IOException if a backend cannot be set up
   */
  List<ConfigResult> run(BenchSpec spec) throws ExperimentValidationException, IOException {
    ExperimentLoader loader = new ExperimentLoader(registry);
    Map<String, ResolvedExperiment> experiments = new LinkedHashMap<>();
    for (String backend : spec.backends()) {
      for (String policy : spec.policies()) {
        for (double p : spec.fractions()) {
          experiments.put(key(backend, policy, p), loader.parse(
              spec.experimentYaml(backend, policy, p), "efqat bench (" + backend + ", " + policy
                  + ", p=" + p + ")"));
        }
      }
    }
    List<ConfigResult> results = new ArrayList<>();
    for (String backend : spec.backends()) {
      results.addAll(runBackend(spec, backend, experiments));
    }
    return results;
  }

  private List<ConfigResult> runBackend(BenchSpec spec, String backend,
      Map<String, ResolvedExperiment> experiments) throws IOException {
    ResolvedExperiment base = experiments.get(key(backend, spec.policies().get(0),
        spec.fractions().get(0)));
    TrainTestSplit data = images(spec);
    Map<String, ConfigResult> results = new LinkedHashMap<>();
    try (ExperimentSetup setup = ExperimentSetup.open(registry, base, data)) {
      out.printf("%s: %s on %s (%s)%n", backend, spec.title(), setup.backend().device(),
          setup.backend().version());
      Network net = setup.newNetwork();
      try {
        setup.calibrate(net);
        LayerTimes times = new LayerTimes();
        net.setProfiler(times);
        ImageDataset train = data.train();
        InMemoryBatches batch = new InMemoryBatches(train.pixels(), train.labels(),
            train.imageSize(), spec.batch(), null);
        int block = spec.warmup() + spec.steps();
        for (int round = 0; round < spec.rounds(); round++) {
          for (String policy : spec.policies()) {
            for (double p : spec.fractions()) {
              ResolvedExperiment e = experiments.get(key(backend, policy, p));
              ConfigResult r = results.computeIfAbsent(key(backend, policy, p),
                  k -> new ConfigResult(backend, policy, p));
              measure(setup, e, net, batch, block, spec.warmup(), times, r);
              out.printf(Locale.ROOT, "  round %d/%d %-6s p=%-5s step %8.1f ms  fwd %7.1f"
                  + "  bwd %7.1f ms (median so far)%n", round + 1, spec.rounds(), policy,
                  fmt(p), Spread.of(r.step).median(), Spread.of(r.forward).median(),
                  Spread.of(r.backward).median());
              out.flush();
            }
          }
        }
      } finally {
        net.setProfiler(null);
        net.release();
      }
    }
    return List.copyOf(results.values());
  }

  private static void measure(ExperimentSetup setup, ResolvedExperiment e, Network net,
      InMemoryBatches batch, int block, int warmup, LayerTimes times, ConfigResult r) {
    ComponentContext ctx = setup.context();
    RowSelector selector = new RowSelector(net, e.importance().<ImportanceMetric>create(ctx),
        e.freeze().<FreezePolicy>create(ctx));
    var opt = e.config().optimizer();
    times.clear();
    KernelProfile profile = setup.backend().profile();
    var result = new EfqatTrainer(net, Optimizers.create(opt),
        TrainableParameters.forEfqat(net, e.config().efqat().alwaysTrain()), selector,
        e.config().efqat().interval(), new TrainingListener() {
          @Override
          public void onStep(int step, int total, double loss, double acc, double perSecond) {
            times.endStep();
            if (step == warmup - 1) {
              profile.reset(); // kernel times of the measured steps only
            }
          }
        }).train(batch, block, LearningRateSchedule.of(opt, block));
    times.dropFirst(warmup);
    r.unfrozenFraction = result.meanUnfrozenFraction();
    var t = result.times();
    r.forward.addAll(t.forwardMs().subList(warmup, block));
    r.backward.addAll(t.backwardMs().subList(warmup, block));
    r.step.addAll(t.stepMs().subList(warmup, block));
    r.addLayers(times);
    if (warmup == 0) {
      // no warm-up step reset the profile: it also holds the selection's kernels
      r.kernelSteps += block;
    } else {
      r.kernelSteps += block - warmup;
    }
    profile.snapshot().forEach((k, nanos) -> r.kernelMs.merge(k, nanos / 1e6, Double::sum));
    profile.reset();
  }

  /** One batch of uniform random images (the values do not change the work done). */
  private static TrainTestSplit images(BenchSpec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    int n = spec.batch();
    float[] pixels = new float[n * spec.side() * spec.side() * spec.channels()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(spec.classes());
    }
    ImageDataset d = ImageDataset.of("bench/random", spec.side(), spec.side(), spec.channels(),
        spec.classes(), pixels, labels);
    return new TrainTestSplit(d, d);
  }

  private static String key(String backend, String policy, double p) {
    return backend + "/" + policy + "/" + p;
  }

  static String fmt(double p) {
    return p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p);
  }
}
