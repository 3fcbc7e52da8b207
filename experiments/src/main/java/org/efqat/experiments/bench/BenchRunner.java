package org.efqat.experiments.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.efqat.core.config.ComponentSites;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.Network;
import org.efqat.core.profile.Kernel;
import org.efqat.core.profile.KernelProfile;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.StageTraining;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.StepHook;
import org.efqat.core.train.TrainingListener;
import org.efqat.experiments.BackendArgument;

/**
 * Runs a {@link BenchSpec}: per backend one session of the base experiment builds one network
 * (seeded weights, PTQ-calibrated as in {@code efqat run}); all of them stay open, and for every
 * round, every backend (in an order that rotates from round to round, so that a drift of the
 * machine's speed spreads over the backends and a ratio between backends is measured side by side)
 * and every (policy, p) the session's EfQAT stage of that variant takes a block of {@code warmup +
 * steps} training steps. Rows are selected once per block, outside the timed region; frozen rows
 * skip their weight-gradient work as in a real run. Times come from the trainer (forward incl.
 * loss, backward, whole step incl. optimizer) and from a {@link LayerTimes} profiler on the
 * network.
 */
final class BenchRunner {
  private final ComponentRegistry registry;
  private final PrintWriter out;

  BenchRunner(ComponentRegistry registry, PrintWriter out) {
    this.registry = registry;
    this.out = out;
  }

  /** One configuration: its key and its experiment. */
  private record Variant(String backend, String policy, double p, ResolvedExperiment experiment) {}

  /**
   * @param spec what to measure
   * @return one result per (backend, policy, p), backends outermost, in spec order
   * @throws ExperimentValidationException if a name or option is not valid
   * @throws IOException if a backend cannot be set up
   */
  List<ConfigResult> run(BenchSpec spec) throws ExperimentValidationException, IOException {
    ExperimentLoader loader = new ExperimentLoader(registry);
    Map<String, List<Variant>> perBackend = new LinkedHashMap<>();
    for (String backend : spec.backends()) {
      List<Variant> variants = new ArrayList<>();
      for (String policy : spec.policies()) {
        boolean hasP =
            registry.freezePolicies().contains(policy)
                && Arrays.stream(
                        registry.freezePolicies().get(policy).configType().getRecordComponents())
                    .anyMatch(c -> c.getName().equals("p"));
        for (double p : hasP ? spec.fractions() : List.of(Double.NaN)) {
          Map<String, Object> freeze = new LinkedHashMap<>();
          if (policy.equals(spec.base().freeze().provider().name())) {
            freeze.putAll(spec.base().freeze().toSpec().options());
          }
          freeze.put("type", policy);
          if (hasP) {
            freeze.put("p", p);
          }
          Map<String, Object> changes = new LinkedHashMap<>();
          changes.put(ComponentSites.BACKEND, BackendArgument.override(backend));
          changes.put(ComponentSites.FREEZE, freeze);
          variants.add(
              new Variant(
                  backend,
                  policy,
                  p,
                  loader.override(
                      spec.base(),
                      changes,
                      "efqat bench ("
                          + backend
                          + ", "
                          + policy
                          + (hasP ? ", p=" + fmt(p) : "")
                          + ")")));
        }
      }
      perBackend.put(backend, variants);
    }
    List<Lane> lanes = new ArrayList<>();
    try {
      for (List<Variant> variants : perBackend.values()) {
        lanes.add(Lane.open(registry, spec, variants, out));
      }
      for (int round = 0; round < spec.rounds(); round++) {
        for (int i = 0; i < lanes.size(); i++) {
          lanes.get((round + i) % lanes.size()).round(spec, round, out);
        }
      }
    } finally {
      for (int i = lanes.size() - 1; i >= 0; i--) {
        lanes.get(i).close();
      }
    }
    List<ConfigResult> results = new ArrayList<>();
    for (Lane lane : lanes) {
      results.addAll(lane.results.values());
    }
    return results;
  }

  /** One backend's open session, calibrated network and results. */
  private static final class Lane implements AutoCloseable {
    private final ExperimentSession session;
    private final Network net;
    private final LayerTimes times = new LayerTimes();
    private final Map<Variant, ConfigResult> results = new LinkedHashMap<>();

    private Lane(ExperimentSession session, Network net, List<Variant> variants) {
      this.session = session;
      this.net = net;
      for (Variant v : variants) {
        results.put(v, new ConfigResult(v.backend(), v.policy(), v.p()));
      }
    }

    /** Opens the session of the backend's first variant and calibrates its network. */
    static Lane open(
        ComponentRegistry registry, BenchSpec spec, List<Variant> variants, PrintWriter out)
        throws IOException {
      ExperimentSession session =
          Sessions.open(
              registry, variants.get(0).experiment(), SessionOptions.DEFAULT, SessionListener.NONE);
      Network net = null;
      try {
        out.printf(
            "%s: %s on %s (%s)%n",
            variants.get(0).backend(),
            spec.title(),
            session.backend().device(),
            session.backend().version());
        net = session.newNetwork();
        session.calibrate(net);
        Lane lane = new Lane(session, net, variants);
        net.setProfiler(lane.times);
        return lane;
      } catch (RuntimeException | Error e) {
        if (net != null) {
          net.release();
        }
        session.close();
        throw e;
      }
    }

    /** One round: a block of steps for every variant of this backend. */
    void round(BenchSpec spec, int round, PrintWriter out) {
      int block = spec.warmup() + spec.steps();
      for (var e : results.entrySet()) {
        Variant v = e.getKey();
        ConfigResult r = e.getValue();
        measure(session, v.experiment(), net, block, spec.warmup(), times, r);
        out.printf(
            Locale.ROOT,
            "  round %d/%d %-8s %-6s p=%-5s step %8.1f ms  fwd %7.1f"
                + "  bwd %7.1f ms (median so far)%n",
            round + 1,
            spec.rounds(),
            v.backend(),
            v.policy(),
            fmt(v.p()),
            Spread.of(r.step).median(),
            Spread.of(r.forward).median(),
            Spread.of(r.backward).median());
        out.flush();
      }
    }

    @Override
    public void close() {
      try {
        net.setProfiler(null);
        net.release();
      } finally {
        session.close();
      }
    }
  }

  private static void measure(
      ExperimentSession session,
      ResolvedExperiment variant,
      Network net,
      int block,
      int warmup,
      LayerTimes times,
      ConfigResult r) {
    StageTraining t = session.efqatTraining(net, variant);
    times.clear();
    KernelProfile profile = session.backend().profile();
    double epochs = (double) block * session.batchSize() / t.batches().samplesPerEpoch();
    // What the measured steps did, taken at the last step: the stage's end (parameters and
    // optimizer state brought back to the heap) is not part of a step.
    Map<Kernel, Long> kernels = new java.util.EnumMap<>(Kernel.class);
    long[] bytes = new long[2];
    EfqatTrainer.Result result =
        t.trainer(
                new TrainingListener() {
                  @Override
                  public void onStep(
                      int step, int total, double loss, double acc, double perSecond) {
                    times.endStep();
                    if (step == warmup - 1) {
                      profile.reset(); // kernel times of the measured steps only
                    }
                    if (step == block - 1) {
                      kernels.putAll(profile.snapshot());
                      bytes[0] = profile.bytesToBackend();
                      bytes[1] = profile.bytesToHeap();
                    }
                  }
                })
            .train(t.batches(), epochs, t.schedule(), null, StepHook.NONE);
    if (result.steps() != block) {
      throw new IllegalStateException(
          "bench block took " + result.steps() + " steps, expected " + block);
    }
    times.dropFirst(warmup);
    r.unfrozenFraction = result.meanUnfrozenFraction();
    var tm = result.times();
    r.forward.addAll(tm.forwardMs().subList(warmup, block));
    r.backward.addAll(tm.backwardMs().subList(warmup, block));
    r.step.addAll(tm.stepMs().subList(warmup, block));
    r.addLayers(times);
    if (warmup == 0) {
      // no warm-up step reset the profile: it also holds the selection's kernels
      r.kernelSteps += block;
    } else {
      r.kernelSteps += block - warmup;
    }
    kernels.forEach((k, nanos) -> r.kernelMs.merge(k, nanos / 1e6, Double::sum));
    r.cpuOthers += tm.cpuOthers();
    r.cpuTotal += tm.cpuTotal();
    r.bytesToBackend += bytes[0];
    r.bytesToHeap += bytes[1];
    profile.reset();
  }

  static String fmt(double p) {
    if (Double.isNaN(p)) {
      return "-";
    }
    return p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p);
  }
}
