package org.efqat.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.efqat.core.config.ConfigError;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.experiments.bench.Bench;
import org.efqat.experiments.bench.BenchSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code efqat bench}: step timings versus the unfrozen fraction, side by side in one process. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Time forward, backward (dX, dW, rest) and whole training steps of a quantized"
        + " model for several unfrozen fractions, policies and backends in one process.",
        "Writes <output>/bench-<model>/{bench.json,bench.md,speedup.png}."})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "resnet20",
      description = "resnet20 (default, 3x32x32, batch 128), resnet50 (3x224x224, batch 8),"
          + " cnn, mlp.")
  String model;

  @Option(names = "--width", description = "First-stage channels (default 16; resnet50 64).")
  Integer width;

  @Option(names = "--batch", description = "Samples per step (default 128; resnet50 8).")
  Integer batch;

  @Option(names = "--image", description = "Image side (default 32; resnet50 224).")
  Integer image;

  @Option(names = "--channels", defaultValue = "3", description = "Image channels (default 3).")
  int channels;

  @Option(names = "--classes", description = "Classes (default 10; resnet50 1000).")
  Integer classes;

  @Option(names = "--bits", defaultValue = "8", description = "Weight and activation bits.")
  int bits;

  @Option(names = "--p", split = ",", defaultValue = "1,0.5,0.25,0.1,0.05,0",
      description = "Unfrozen fractions (1 is added as the baseline if missing).")
  List<Double> fractions;

  @Option(names = "--policies", split = ",", defaultValue = "cwpn", description = "Freeze policies.")
  List<String> policies;

  @Option(names = "--backends", split = ",", defaultValue = "nd4j", description = "Backends.")
  List<String> backends;

  @Option(names = "--warmup", defaultValue = "2", description = "Discarded steps per block.")
  int warmup;

  @Option(names = "--steps", defaultValue = "5", description = "Measured steps per block.")
  int steps;

  @Option(names = "--rounds", defaultValue = "2",
      description = "Rounds over all configurations (interleaved).")
  int rounds;

  @Option(names = "--seed", defaultValue = "0", description = "Weights and images.")
  long seed;

  @Option(names = "--output", defaultValue = "runs", description = "Output folder.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    boolean big = model.equals("resnet50");
    List<Double> ps = new ArrayList<>(fractions);
    if (!ps.contains(1.0)) {
      ps.add(0, 1.0);
    }
    String bad = ps.stream().anyMatch(p -> !(p >= 0 && p <= 1)) ? "--p values must be in [0, 1]"
        : warmup < 0 || steps < 1 || rounds < 1 ? "--warmup >= 0, --steps >= 1, --rounds >= 1"
        : null;
    if (bad != null) {
      err.println("efqat bench: " + bad + " (were p " + fractions + ", warmup " + warmup
          + ", steps " + steps + ", rounds " + rounds + ")");
      return EfqatCli.EXIT_INVALID;
    }
    BenchSpec benchSpec = new BenchSpec(model, width != null ? width : big ? 64 : 16,
        batch != null ? batch : big ? 8 : 128, image != null ? image : big ? 224 : 32,
        channels, classes != null ? classes : big ? 1000 : 10, bits, ps, policies, backends,
        warmup, steps, rounds, seed);
    try {
      new Bench(ComponentRegistry.loadDefault(), spec.commandLine().getOut())
          .run(benchSpec, output);
    } catch (ExperimentValidationException e) {
      for (ConfigError error : e.errors()) {
        err.println(error);
      }
      return EfqatCli.EXIT_INVALID;
    }
    return 0;
  }
}
