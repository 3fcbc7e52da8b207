package org.efqat.experiments.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunFolder;
import org.efqat.core.train.StepTimings;

/**
 * {@code efqat bench}: measures a {@link BenchSpec}, prints the tables and writes {@code
 * bench.json}, {@code bench.md} and {@code speedup.png} atomically into {@code <output>/}{@link
 * BenchSpec#folder()}.
 */
public final class Bench {
  private final ComponentRegistry registry;
  private final PrintWriter out;

  /**
   * @param registry the components
   * @param out where progress and the tables go
   */
  public Bench(ComponentRegistry registry, PrintWriter out) {
    this.registry = registry;
    this.out = out;
  }

  /**
   * @param spec what to measure
   * @param output the output root
   * @return the folder written
   * @throws ExperimentValidationException if a backend, policy or option is not valid
   * @throws IOException if a file cannot be written
   */
  public Path run(BenchSpec spec, Path output) throws ExperimentValidationException, IOException {
    List<ConfigResult> results = new BenchRunner(registry, out).run(spec);
    BenchReport report = new BenchReport(spec, results);
    RunFolder dir = new RunFolder(output.resolve(spec.folder()));
    dir.open();
    StringBuilder md = new StringBuilder("# efqat bench: " + spec.title() + "\n\n```\n");
    md.append(report.summaryTable());
    for (String b : spec.backends()) {
      for (String p : spec.policies()) {
        md.append('\n').append(report.layerTable(b, p));
      }
    }
    md.append('\n').append(report.kernelTable());
    md.append("```\n");
    dir.writeJson(
        "bench.json",
        report.toResults(
            new BenchResults.Environment(
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getenv("OMP_WAIT_POLICY"))));
    dir.writeText("bench.md", md.toString());
    dir.writeBytes(
        "speedup.png",
        SpeedupPlot.render("EfQAT backward speedup, " + spec.title(), report.speedupCurves()));
    out.println();
    out.println(
        "efqat bench: "
            + spec.title()
            + "; medians ± half the interquartile range over "
            + spec.steps() * spec.rounds()
            + " steps per row");
    out.print(report.summaryTable());
    double shared =
        results.stream()
            .mapToDouble(ConfigResult::otherCpuShare)
            .filter(x -> !Double.isNaN(x))
            .max()
            .orElse(0);
    if (shared > StepTimings.SHARED_MACHINE_CPU_SHARE) {
      out.printf(
          Locale.ROOT,
          "efqat bench: other processes used up to %.0f%% of the machine's CPU time while it ran:"
              + " these times are not those of a machine to itself; run it alone for numbers to"
              + " report%n",
          100 * shared);
    }
    out.println();
    out.print(report.kernelTable());
    out.println();
    out.print(report.layerTable(spec.backends().get(0), spec.policies().get(0)));
    out.printf(
        "%nresults: %s, %s, %s%n",
        dir.file("bench.json"), dir.file("bench.md"), dir.file("speedup.png"));
    out.flush();
    return dir.path();
  }
}
