package org.efqat.jmh;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.efqat.api.backend.Availability;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendProvider;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.api.spi.ComponentContext;
import org.efqat.api.spi.NoOptions;

/**
 * What the benchmark states share: opening a backend by name through {@link ServiceLoader} (as the
 * engine does, never by class), seeded tensor data, and parsing of the shape parameters. Everything
 * here runs in {@code @Setup}, never inside a measured method.
 */
final class BenchmarkBackends {
  /** The seed of every tensor's values and of the row shuffles; results do not depend on it. */
  static final long SEED = 20_241_118L;

  private BenchmarkBackends() {}

  /**
   * Creates a backend by its provider name, failing with the provider's own reason when its native
   * library does not load, or with the available names when none has that name.
   *
   * @param name the provider name, {@code "nd4j"} or {@code "tf"}
   * @return a new backend; the caller closes it
   */
  static Backend open(String name) {
    List<String> names = new ArrayList<>();
    for (BackendProvider<?> provider : ServiceLoader.load(BackendProvider.class)) {
      if (!provider.name().equals(name)) {
        names.add(provider.name());
        continue;
      }
      Availability availability = provider.probe();
      if (!availability.ok()) {
        throw new IllegalStateException(
            "backend " + name + " is unavailable: " + availability.reason());
      }
      if ("nd4j".equals(name)) {
        checkOmpWaitPolicy();
      }
      return create(provider);
    }
    throw new IllegalArgumentException(
        "no backend named "
            + name
            + " on the class path; found "
            + names
            + " (are the backend jars in efqat-jmh/target/lib?)");
  }

  private static <C extends Record> Backend create(BackendProvider<C> provider) {
    if (provider.configType() != NoOptions.class) {
      throw new IllegalArgumentException(
          "backend "
              + provider.name()
              + " takes options ("
              + provider.configType().getName()
              + "); the benchmarks only create backends without");
    }
    return provider.create(
        provider.configType().cast(new NoOptions()), ComponentContext.ofSeed(SEED));
  }

  /**
   * Warns when this JVM (a JMH fork, which inherits the environment of the JVM that started it)
   * lacks {@code OMP_WAIT_POLICY=PASSIVE}: on 2 cores ND4J's OpenMP and OpenBLAS threads then stall
   * each other about 8 ms per op (DESIGN.md section 3) and the numbers mean little.
   */
  private static void checkOmpWaitPolicy() {
    String policy = System.getenv("OMP_WAIT_POLICY");
    if (policy == null || !policy.trim().toUpperCase(Locale.ROOT).equals("PASSIVE")) {
      System.err.println(
          "WARNING: OMP_WAIT_POLICY is "
              + policy
              + ", not PASSIVE: ND4J timings"
              + " on few cores will include OpenMP/OpenBLAS stalls. Run through efqat-jmh/run-jmh or"
              + " export OMP_WAIT_POLICY=PASSIVE before starting JMH.");
    }
  }

  /**
   * @param ops the backend's kernels
   * @param stream which seeded stream (one per tensor, so tensors differ)
   * @param lo the lowest value
   * @param hi the bound of the values (exclusive)
   * @param shape the shape
   * @return a new tensor of values uniform in {@code [lo, hi)}
   */
  static Tensor uniform(TensorOps ops, long stream, float lo, float hi, long... shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor " + Arrays.toString(shape) + " is too large");
    }
    SplittableRandom random = new SplittableRandom(SEED * 31 + stream);
    float[] data = new float[(int) size];
    for (int i = 0; i < data.length; i++) {
      data[i] = lo + (hi - lo) * (float) random.nextDouble();
    }
    return ops.fromArray(data, shape);
  }

  /**
   * Parses a shape parameter such as {@code "131072x144x16"}.
   *
   * @param spec positive integers separated by {@code x}
   * @param rank the expected number of dimensions
   * @return the dimensions
   */
  static int[] dims(String spec, int rank) {
    String[] parts = spec.split("x", -1);
    if (parts.length != rank) {
      throw new IllegalArgumentException(
          "shape parameter " + spec + " must have " + rank + " dimensions separated by 'x'");
    }
    int[] d = new int[rank];
    for (int i = 0; i < rank; i++) {
      d[i] = Integer.parseInt(parts[i].trim());
      if (d[i] < 1) {
        throw new IllegalArgumentException("shape parameter " + spec + " has a dimension < 1");
      }
    }
    return d;
  }

  /**
   * The unfrozen rows of a layer at fraction {@code p}: the first {@code ⌈p·n⌉} rows of a seeded
   * shuffle of {@code 0..n-1}, sorted. The count is computed in decimal, without floating-point
   * noise ({@code ⌈0.1·30⌉ = 3}), as the freeze policies do.
   *
   * @param fraction {@code p} in {@code (0, 1]}, as written, for example {@code "0.05"}
   * @param n the number of rows {@code C_out}
   * @return strictly increasing row indices
   */
  static int[] unfrozenRows(String fraction, int n) {
    BigDecimal p = new BigDecimal(fraction.trim());
    if (p.signum() <= 0 || p.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("unfrozen fraction " + fraction + " must be in (0, 1]");
    }
    int count = p.multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).intValueExact();
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] rows = Arrays.copyOf(order, count);
    Arrays.sort(rows);
    return rows;
  }

  /**
   * Closes tensors, then the backend, ignoring {@code null}s.
   *
   * @param backend the backend, or {@code null}
   * @param tensors its tensors
   */
  static void close(Backend backend, Tensor... tensors) {
    for (Tensor t : tensors) {
      if (t != null) {
        t.close();
      }
    }
    if (backend != null) {
      backend.close();
    }
  }
}
