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
      "The model, data, quantizers and optimizer come from FILE or a bundled --preset (default:"
          + " ResNet-20, one batch of 128 random 3x32x32 images, W8A8); the options below change"
          + " them. Image options (--model, --width, --image, --channels) and encoder options"
          + " (--layers, --seq) are errors on the other kind of model.",
      "Writes <output>/bench-<model>[-<preset>]/{bench.json,bench.md,speedup.png}."
    })
final class BenchCommand implements Callable<Integer> {
  /** The bundled experiments by {@code --preset} name. */
  static final Map<String, String> PRESETS =
      Map.of(
          "resnet20", "org/efqat/experiments/bench/bench.yaml",
          "minilm", "org/efqat/experiments/bench/bench-minilm.yaml",
          "bert-base", "org/efqat/experiments/bench/bench-bert-base.yaml");

  /** The preset timed when neither a file nor {@code --preset} is given. */
  static final String DEFAULT_PRESET = "resnet20";

  /** The encoder model, whose options {@code --layers} and {@code --seq} change. */
  static final String ENCODER = "bert";

  /**
   * The data set of random token ids that {@code --seq}, {@code --batch}, {@code --classes} set.
   */
  static final String TOKENS = "random-tokens";

  /** The data set of random images that the image options set. */
  static final String IMAGES = "random-images";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "An experiment file (default: the bundled --preset).")
  Path file;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description = {
        "A bundled experiment instead of FILE: resnet20 (default; bench.yaml), minilm (the"
            + " all-MiniLM-L6-v2 encoder: 6 layers, hidden 384; bench-minilm.yaml) or bert-base"
            + " (12 layers, hidden 768; bench-bert-base.yaml). The encoders time one batch of 32"
            + " random-tokens sequences of 128 ids, W8A8 (lsq/lsq-plus), cwpn; named as"
            + " experiments/pytorch/bert_qat_bench.py --preset."
      })
  String preset;

  @Option(
      names = "--model",
      description =
          "Image experiments: a registered image model; resnet50 also defaults to"
              + " 3x224x224 images, batch 8, 1000 classes. The encoder is chosen with --preset.")
  String model;

  @Option(names = "--width", description = "Image models: the model's width option.")
  Integer width;

  @Option(
      names = "--layers",
      description = "Encoder: the number of encoder layers (model.architecture.layers).")
  Integer layers;

  @Option(
      names = "--seq",
      description = "Encoder: token ids per sequence (random-tokens length, data.dataset.length).")
  Integer seq;

  @Option(names = "--batch", description = "Samples per step (and random samples).")
  Integer batch;

  @Option(names = "--image", description = "Image models: side of the random images.")
  Integer image;

  @Option(names = "--channels", description = "Image models: channels of the random images.")
  Integer channels;

  @Option(names = "--classes", description = "Classes of the random images or token sequences.")
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
      description =
          "Backends (default: the experiment's); name or name:key=value[;key=value...] for"
              + " backend options, e.g. tf,tf:kernels=device.")
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

  @Option(names = "--seed", description = "Weights and random data (default: the experiment's).")
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
    if (preset != null && !PRESETS.containsKey(preset)) {
      err.println(
          "efqat bench: --preset must be one of "
              + String.join(", ", new java.util.TreeSet<>(PRESETS.keySet()))
              + " (was '"
              + preset
              + "')");
      return EfqatCli.EXIT_INVALID;
    }
    if (preset != null && file != null) {
      err.println(
          "efqat bench: give an experiment FILE or --preset, not both (were "
              + file
              + " and --preset "
              + preset
              + ")");
      return EfqatCli.EXIT_INVALID;
    }
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ExperimentLoader loader = new ExperimentLoader(registry);
    try {
      String resource = PRESETS.get(preset != null ? preset : DEFAULT_PRESET);
      ResolvedExperiment base =
          file != null
              ? loader.load(file)
              : loader.parse(bundled(resource), "efqat bench (bundled " + resource + ")");
      String misplaced = misplacedOptions(base.model().provider().name());
      if (misplaced != null) {
        err.println("efqat bench: " + misplaced);
        return EfqatCli.EXIT_INVALID;
      }
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

  /**
   * @param baseModel the model of the file or preset
   * @return why an option given does not apply to that model, or {@code null}
   */
  private String misplacedOptions(String baseModel) {
    boolean encoder = baseModel.equals(ENCODER);
    List<String> imageOnly = new ArrayList<>();
    addIfSet(imageOnly, "--width", width);
    addIfSet(imageOnly, "--image", image);
    addIfSet(imageOnly, "--channels", channels);
    List<String> encoderOnly = new ArrayList<>();
    addIfSet(encoderOnly, "--layers", layers);
    addIfSet(encoderOnly, "--seq", seq);
    if (encoder && model != null && !model.equals(ENCODER)) {
      return "--model "
          + model
          + " replaces the encoder of this experiment; the image models are timed with --preset"
          + " resnet20 (the default) or an image FILE";
    }
    if (!encoder && ENCODER.equals(model)) {
      return "--model "
          + ENCODER
          + " needs token-id data; time the encoder with --preset minilm or --preset bert-base"
          + " (--layers and --seq change it)";
    }
    if (encoder && !imageOnly.isEmpty()) {
      return String.join(", ", imageOnly)
          + (imageOnly.size() > 1 ? " apply" : " applies")
          + " to image models, not to the "
          + ENCODER
          + " encoder (its options are --layers, --seq, --batch, --classes)";
    }
    if (!encoder && !encoderOnly.isEmpty()) {
      return String.join(", ", encoderOnly)
          + (encoderOnly.size() > 1 ? " apply" : " applies")
          + " to the "
          + ENCODER
          + " encoder (--preset minilm or bert-base), not to "
          + (model != null ? model : baseModel);
    }
    return null;
  }

  private static void addIfSet(List<String> names, String option, Object value) {
    if (value != null) {
      names.add(option + " " + value);
    }
  }

  /** The options given, as changes by YAML path. */
  private Map<String, Object> changes(ResolvedExperiment base) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (base.model().provider().name().equals(ENCODER)) {
      putIfSet(c, ComponentSites.MODEL + ".layers", layers);
      if (seq != null || classes != null || batch != null) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (base.dataset().provider().name().equals(TOKENS)) {
          data.putAll(base.dataset().toSpec().options());
        }
        data.put("type", TOKENS);
        putIfSet(data, "length", seq);
        putIfSet(data, "classes", classes);
        putIfSet(data, "samples", batch);
        c.put(ComponentSites.DATASET, data);
        putIfSet(c, "data.batchSize", batch);
      }
      putCommon(c);
      return c;
    }
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
      if (base.dataset().provider().name().equals(IMAGES)) {
        data.putAll(base.dataset().toSpec().options());
      }
      data.put("type", IMAGES);
      putIfSet(data, "side", side);
      putIfSet(data, "channels", channels);
      putIfSet(data, "classes", k);
      putIfSet(data, "samples", n);
      c.put(ComponentSites.DATASET, data);
      putIfSet(c, "data.batchSize", n);
    }
    putCommon(c);
    return c;
  }

  /** The options of every model: bits and seed. */
  private void putCommon(Map<String, Object> c) {
    if (bits != null) {
      c.put(ComponentSites.WEIGHTS + ".bits", bits);
      c.put(ComponentSites.ACTIVATIONS + ".bits", bits);
    }
    putIfSet(c, "seed", seed);
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String bundled(String resource) throws IOException {
    try (InputStream in = BenchCommand.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            "the bundled bench experiment " + resource + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
