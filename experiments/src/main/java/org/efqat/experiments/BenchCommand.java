package org.efqat.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.efqat.core.config.ComponentSites;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.experiments.bench.Bench;
import org.efqat.experiments.bench.BenchSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code efqat bench}: step timings versus the unfrozen fraction, side by side in one process. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Time forward, backward (dX, dW, rest) and whole training steps of a quantized"
          + " model for several unfrozen fractions, policies and backends in one process.",
      "The model, data, quantizers and optimizer come from FILE (default: ResNet-20, one batch"
          + " of 128 random 3x32x32 images, W8A8); the options below change them.",
      "Writes <output>/bench-<model>/{bench.json,bench.md,speedup.png}."
    })
final class BenchCommand implements Callable<Integer> {
  /** The experiment timed when no file is given. */
  static final String DEFAULT_EXPERIMENT = "org/efqat/experiments/bench/bench.yaml";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "An experiment file (default: the bundled ResNet-20 bench experiment).")
  Path file;

  @Option(
      names = "--model",
      description =
          "A registered model; resnet50 also defaults to"
              + " 3x224x224 images, batch 8, 1000 classes.")
  String model;

  @Option(names = "--width", description = "The model's width option.")
  Integer width;

  @Option(names = "--batch", description = "Samples per step.")
  Integer batch;

  @Option(names = "--image", description = "Side of the random images.")
  Integer image;

  @Option(names = "--channels", description = "Channels of the random images.")
  Integer channels;

  @Option(names = "--classes", description = "Classes of the random images.")
  Integer classes;

  @Option(names = "--bits", description = "The quantizers' bits option, weights and activations.")
  Integer bits;

  @Option(
      names = "--p",
      split = ",",
      defaultValue = "1,0.5,0.25,0.1,0.05,0",
      description = "Unfrozen fractions of policies with a p (1 is added as the baseline).")
  List<Double> fractions;

  @Option(
      names = "--policies",
      split = ",",
      description =
          "Freeze policies (default: the" + " experiment's); a policy without p runs once.")
  List<String> policies;

  @Option(
      names = "--backends",
      split = ",",
      description = "Backends (default: the" + " experiment's).")
  List<String> backends;

  @Option(names = "--warmup", defaultValue = "2", description = "Discarded steps per block.")
  int warmup;

  @Option(names = "--steps", defaultValue = "5", description = "Measured steps per block.")
  int steps;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Rounds over all configurations (interleaved).")
  int rounds;

  @Option(names = "--seed", description = "Weights and images (default: the experiment's).")
  Long seed;

  @Option(names = "--output", defaultValue = "runs", description = "Output folder.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<Double> ps = new ArrayList<>(fractions);
    if (!ps.contains(1.0)) {
      ps.add(0, 1.0);
    }
    String bad =
        ps.stream().anyMatch(p -> !(p >= 0 && p <= 1))
            ? "--p values must be in [0, 1]"
            : warmup < 0 || steps < 1 || rounds < 1
                ? "--warmup >= 0, --steps >= 1, --rounds >= 1"
                : null;
    if (bad != null) {
      err.println(
          "efqat bench: "
              + bad
              + " (were p "
              + fractions
              + ", warmup "
              + warmup
              + ", steps "
              + steps
              + ", rounds "
              + rounds
              + ")");
      return EfqatCli.EXIT_INVALID;
    }
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ExperimentLoader loader = new ExperimentLoader(registry);
    try {
      ResolvedExperiment base =
          file != null
              ? loader.load(file)
              : loader.parse(bundled(), "efqat bench (bundled " + DEFAULT_EXPERIMENT + ")");
      base = loader.override(base, changes(base), "efqat bench options");
      BenchSpec benchSpec =
          new BenchSpec(
              base,
              ps,
              policies != null ? policies : List.of(base.freeze().provider().name()),
              backends != null ? backends : List.of(base.backend().provider().name()),
              warmup,
              steps,
              rounds);
      new Bench(registry, spec.commandLine().getOut()).run(benchSpec, output);
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return EfqatCli.EXIT_INVALID;
    }
    return 0;
  }

  /** The options given, as changes by YAML path. */
  private Map<String, Object> changes(ResolvedExperiment base) {
    Map<String, Object> c = new LinkedHashMap<>();
    boolean big = "resnet50".equals(model);
    if (model != null || width != null) {
      Map<String, Object> arch = new LinkedHashMap<>();
      if (model == null || model.equals(base.model().provider().name())) {
        arch.putAll(base.model().toSpec().options());
      }
      arch.put("type", model != null ? model : base.model().provider().name());
      if (width != null) {
        arch.put("width", width);
      }
      c.put(ComponentSites.MODEL, arch);
    }
    Integer side = image != null ? image : big ? Integer.valueOf(224) : null;
    Integer n = batch != null ? batch : big ? Integer.valueOf(8) : null;
    Integer k = classes != null ? classes : big ? Integer.valueOf(1000) : null;
    if (side != null || channels != null || k != null || n != null) {
      Map<String, Object> data = new LinkedHashMap<>();
      if (base.dataset().provider().name().equals("random-images")) {
        data.putAll(base.dataset().toSpec().options());
      }
      data.put("type", "random-images");
      putIfSet(data, "side", side);
      putIfSet(data, "channels", channels);
      putIfSet(data, "classes", k);
      putIfSet(data, "samples", n);
      c.put(ComponentSites.DATASET, data);
      putIfSet(c, "data.batchSize", n);
    }
    if (bits != null) {
      c.put(ComponentSites.WEIGHTS + ".bits", bits);
      c.put(ComponentSites.ACTIVATIONS + ".bits", bits);
    }
    putIfSet(c, "seed", seed);
    return c;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String bundled() throws IOException {
    try (InputStream in =
        BenchCommand.class.getClassLoader().getResourceAsStream(DEFAULT_EXPERIMENT)) {
      if (in == null) {
        throw new IOException(
            "the bundled bench experiment "
                + DEFAULT_EXPERIMENT
                + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
