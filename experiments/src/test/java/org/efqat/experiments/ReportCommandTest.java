package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.efqat.api.importance.LayerImportance;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.sweep.PointFailure;
import org.efqat.core.sweep.PointStatus;
import org.efqat.core.sweep.SweepTable;
import org.efqat.core.train.StepTimings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efqat report} on a synthetic sweep folder and a folder of runs written by the test (known
 * accuracies, several seeds, a failed point, an interval axis, an importance file), on a tiny real
 * sweep, and its one-line errors.
 */
class ReportCommandTest {
  @TempDir Path dir;

  /** One point of the synthetic study. */
  private record Point(
      String policy,
      Double p,
      int bits,
      long interval,
      long seed,
      Double efqat,
      Double backwardMs,
      String error) {}

  private static final String DIVERGED =
      "training diverged at step 3: loss 1.2e+03 > divergence.maxLoss | 50 <b>";

  /** W4A4: two seeds of all, none, cwpn and cwpl at p 0.1 and 0.5 (one failed); W8A8: f axis. */
  private static List<Point> study() {
    List<Point> pts = new ArrayList<>();
    for (long s = 1; s <= 2; s++) {
      double d = s == 1 ? 0 : 0.02;
      pts.add(new Point("all", null, 4, 256, s, 0.90 + d, s == 1 ? 100.0 : 110.0, null));
      pts.add(new Point("none", null, 4, 256, s, 0.80 + d, 56.0, null));
      pts.add(new Point("cwpn", 0.1, 4, 256, s, 0.85 + d, s == 1 ? 70.0 : 80.0, null));
      pts.add(new Point("cwpn", 0.5, 4, 256, s, 0.89, 91.0, null));
      pts.add(new Point("cwpl", 0.1, 4, 256, s, 0.84 + d, 73.0, null));
      pts.add(
          s == 1
              ? new Point("cwpl", 0.5, 4, 256, s, 0.88, 91.0, null)
              : new Point("cwpl", 0.5, 4, 256, s, null, null, DIVERGED));
    }
    pts.add(new Point("all", null, 8, 256, 1, 0.93, 100.0, null));
    pts.add(new Point("cwpn", 0.25, 8, 256, 1, 0.90, 80.0, null));
    pts.add(new Point("cwpn", 0.25, 8, 1024, 1, 0.91, 80.0, null));
    pts.add(new Point("cwpn", 0.25, 8, 4096, 1, 0.905, 80.0, null));
    return pts;
  }

  private static double ptq(Point p) {
    return p.bits() == 8 ? 0.88 : p.seed() == 1 ? 0.70 : 0.72;
  }

  private static String config(String name, Point p) {
    return """
        version: 1
        name: %s
        seed: %d
        backend:
          type: nd4j
        quantization:
          weights:
            type: lsq
            bits: %d
          activations:
            type: lsq-plus
            bits: %d
        efqat:
          importance:
            type: mean-abs
          freeze:
            type: %s
        %s  interval: %d
        """
        .formatted(
            name,
            p.seed(),
            p.bits(),
            p.bits(),
            p.policy(),
            p.p() == null ? "" : "    p: " + p.p() + "\n",
            p.interval());
  }

  private static RunMetrics metrics(Point p) {
    RunMetrics m =
        new RunMetrics(
            new RunMetrics.FpStage("pretrained", new RunMetrics.Evaluation(0.95, 0.2, 1000), null),
            new RunMetrics.PtqStage("minmax", new RunMetrics.Evaluation(ptq(p), 0.5, 1000)),
            null);
    if (p.efqat() == null) {
      return m;
    }
    List<Double> backward = Collections.nCopies(5, p.backwardMs());
    RunMetrics.Training t =
        new RunMetrics.Training(
            8,
            1024,
            List.of(1.0, 0.9),
            0.8,
            2,
            p.p() == null ? (p.policy().equals("all") ? 1.0 : 0.0) : p.p(),
            List.of(),
            new StepTimings(backward, backward, List.of(), backward));
    return m.withEfqat(
        new RunMetrics.EfqatStage(
            p.policy(), Map.of(), new RunMetrics.Evaluation(p.efqat(), 0.3, 1000), t));
  }

  /** Writes one run folder: config, metrics, provenance and, for a failed point, failure.json. */
  private static void writeRun(Path run, String name, Point p) throws Exception {
    RunFolder f = new RunFolder(run);
    f.open();
    f.writeText(RunFolder.CONFIG, config(name, p));
    f.writeJson(RunFolder.METRICS, metrics(p));
    f.writeText(RunFolder.PROVENANCE, "{\"seed\": " + p.seed() + "}\n");
    if (p.error() != null) {
      f.writeJson(PointFailure.FILE, new PointFailure(p.error(), "2026-12-01T00:00:00Z"));
    }
  }

  /** A sweep folder as efqat sweep leaves it, with an importance file in the first QAT point. */
  private Path writeSweep() throws Exception {
    return writeSweep("study", study());
  }

  private Path writeSweep(String name, List<Point> pts) throws Exception {
    Path sweep = dir.resolve(name);
    List<SweepTable.Row> rows = new ArrayList<>();
    for (int i = 0; i < pts.size(); i++) {
      Point p = pts.get(i);
      String id = String.format("p%03d", i);
      String folder = "points/study-" + id;
      writeRun(sweep.resolve(folder), "study-" + id, p);
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("efqat.freeze.type", p.policy());
      if (p.p() != null) {
        values.put("efqat.freeze.p", p.p());
      }
      values.put("quantization.weights.bits", p.bits());
      values.put("quantization.activations.bits", p.bits());
      values.put("efqat.interval", p.interval());
      values.put("seed", p.seed());
      RunMetrics m = metrics(p);
      rows.add(
          new SweepTable.Row(
              i,
              id,
              values,
              p.error() == null ? PointStatus.DONE : PointStatus.FAILED,
              folder,
              m.fp().test().accuracy(),
              m.ptq().test().accuracy(),
              p.efqat(),
              m.efqat() == null ? null : m.efqat().training().meanUnfrozenFraction(),
              p.backwardMs(),
              p.error()));
    }
    new RunFolder(sweep)
        .writeJson(
            SweepTable.JSON,
            new SweepTable(
                "study",
                List.of(
                    "efqat.freeze.type",
                    "efqat.freeze.p",
                    "quantization.weights.bits",
                    "quantization.activations.bits",
                    "efqat.interval",
                    "seed"),
                rows));
    RowImportance imp =
        RowImportance.of(
            List.of(
                new LayerImportance("conv1", new double[] {0.30, 0.50, 0.20, 0.90, 0.31, 0.29}),
                new LayerImportance("conv2", new double[] {0.10, 0.12, 0.11, 0.13, 0.09, 0.1}),
                new LayerImportance("fc", new double[] {0.10, 0.15, 0.12})),
            "mean-abs",
            RowImportance.DEFAULT_OUTLIER_SIGMAS);
    new RunFolder(sweep.resolve("points/study-p000")).writeJson("importance-efqat.json", imp);
    return sweep;
  }

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  /** Every Markdown link of the report resolves to an existing file; returns the targets. */
  private static List<String> checkLinks(Path report) throws Exception {
    String md = Files.readString(report);
    Matcher m = LINK.matcher(md);
    List<String> targets = new ArrayList<>();
    while (m.find()) {
      String t = m.group(1);
      targets.add(t);
      String decoded =
          t.replace("%20", " ").replace("%28", "(").replace("%29", ")").replace("%25", "%");
      assertThat(report.getParent().resolve(decoded)).as(t).isRegularFile();
    }
    return targets;
  }

  private static void checkPng(Path png, int width, int height) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as(png.toString()).isNotNull();
    assertThat(image.getWidth()).as(png.toString()).isEqualTo(width);
    assertThat(image.getHeight()).as(png.toString()).isEqualTo(height);
  }

  @Test
  void reportsASweepFolder() throws Exception {
    Path sweep = writeSweep();
    CliResult r = CliResult.run("report", sweep.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Path out = sweep.resolve("report");
    assertThat(r.out())
        .contains("wrote " + out.resolve("report.md"))
        .contains("wrote " + out.resolve("report.html"))
        .contains("skipped: No accuracy-versus-interval figure for W4A4");

    for (String png :
        List.of(
            "accuracy-vs-p-w8a8.png",
            "accuracy-vs-backward-w8a8.png",
            "accuracy-vs-interval-w8a8.png",
            "accuracy-vs-p-w4a4.png",
            "accuracy-vs-backward-w4a4.png")) {
      checkPng(out.resolve(png), 1000, 650);
    }
    assertThat(out.resolve("accuracy-vs-interval-w4a4.png")).doesNotExist();
    assertThat(ImageIO.read(out.resolve("importance-p000.png").toFile())).isNotNull();
    assertThat(ImageIO.read(out.resolve("importance-p000-layers.png").toFile())).isNotNull();

    String md = Files.readString(out.resolve("report.md"));
    assertThat(md)
        .contains("# EfQAT report: study")
        .contains("16 points (15 done, 1 failed, 0 started, 0 pending)")
        .contains("`efqat.freeze.type` (all, none, cwpn, cwpl)")
        // W4A4: PTQ 71 ± 1.41 over two seeds, QAT 91, so cwpn p = 0.1 (86%) closes 75%, at
        // 105 / 75 = 1.40x the backward speed
        .contains("PTQ 71.00 ± 1.41%")
        .contains("plain QAT 91.00 ± 1.41% (PTQ→QAT gap 20.00 points)")
        .contains("`none` (p = 0) reaches 81.00 ± 1.41%, 50% of the gap")
        .contains(
            "| cwpn | 86.00 ± 1.41% · 75% of gap · 1.40x | 89.00 ± 0.00% · 90% of gap · 1.15x |")
        .contains(
            "| `cwpn` | 0.1 | 256 | 2 | 86.00 ± 1.41% | 75% | 71.00 ± 1.41% | 95.00 ± 0.00% |")
        // the failed seed of cwpl p = 0.5 is listed with its error, not dropped
        .contains("| `cwpl` | 0.5 | 256 | 1 | 88.00% | 85% |")
        .contains("p011 seed 2 (failed)")
        .contains("## Failed points")
        .contains(DIVERGED.replace("|", "\\|"))
        .contains("[85.00%](../points/study-p002/resolved-config.yaml)")
        .contains("[provenance](../points/study-p002/provenance.json)")
        .contains("![Accuracy versus unfrozen fraction p, W4A4](accuracy-vs-p-w4a4.png)")
        .contains(
            "No accuracy-versus-interval figure for W4A4: every finished EfQAT setting"
                + " uses f = 256 samples")
        .contains("from `importance-efqat.json` in its run folder")
        .contains("| conv1 | 6 |")
        .doesNotContain("Timing caveat"); // seeds' backward times within 10% of each other
    assertThat(md.indexOf("## W8A8")).isLessThan(md.indexOf("## W4A4"));
    List<String> links = checkLinks(out.resolve("report.md"));
    assertThat(links).filteredOn(l -> l.endsWith("resolved-config.yaml")).hasSizeGreaterThan(30);
    assertThat(links).filteredOn(l -> l.endsWith("provenance.json")).hasSizeGreaterThan(16);

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<table>")
        .contains("<img src=\"accuracy-vs-p-w4a4.png\"")
        .contains("<img src=\"accuracy-vs-interval-w8a8.png\"")
        .contains("<img src=\"importance-p000.png\"")
        .contains("<a href=\"../points/study-p002/resolved-config.yaml\">85.00%</a>")
        .contains("divergence.maxLoss | 50 &lt;b&gt;")
        .doesNotContain("<b>");
    assertThat(html.split("<table>", -1)).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void backwardTimesThatDisagreeBetweenSeedsAreFlagged() throws Exception {
    // plain QAT timed at 100 and 200 ms on two seeds: the runs shared the machine
    List<Point> pts = new ArrayList<>(study());
    pts.replaceAll(
        p ->
            p.policy().equals("all") && p.bits() == 4 && p.seed() == 2
                ? new Point("all", null, 4, 256, 2, p.efqat(), 200.0, null)
                : p);
    Path sweep = writeSweep("shared", pts);
    CliResult r = CliResult.run("report", sweep.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(sweep.resolve("report/report.md")))
        .contains(
            "**Timing caveat.** The same setting's backward time differs between its seeds by up"
                + " to 47% (one standard deviation over the mean; `all`: 150.0 ± 70.7 ms)");
  }

  @Test
  void runsThatSharedTheMachineAreFlagged() throws Exception {
    Path sweep = writeSweep("busy", study());
    RunFolder run = new RunFolder(sweep.resolve("points/study-p002"));
    RunMetrics m = run.readJson(RunFolder.METRICS, RunMetrics.class, null);
    RunMetrics.Training t = m.efqat().training();
    StepTimings busy =
        new StepTimings(
            t.timings().forwardMs(),
            t.timings().backwardMs(),
            List.of(),
            t.timings().stepMs(),
            450,
            1000); // other processes ran 45% of the CPUs' time
    run.writeJson(
        RunFolder.METRICS,
        m.withEfqat(
            new RunMetrics.EfqatStage(
                m.efqat().policy(),
                m.efqat().policyOptions(),
                m.efqat().test(),
                new RunMetrics.Training(
                    t.steps(),
                    t.samples(),
                    t.losses(),
                    t.trainAccuracy(),
                    t.selections(),
                    t.meanUnfrozenFraction(),
                    t.selectionHistory(),
                    busy))));
    assertThat(run.readJson(RunFolder.METRICS, RunMetrics.class, null).efqat().training().timings())
        .isEqualTo(busy);
    CliResult r = CliResult.run("report", sweep.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(sweep.resolve("report/report.md")))
        .contains(
            "**Shared machine.** While 1 of the 1 runs that record it trained, other processes"
                + " used more than 20% of the machine's CPU time (up to 45%, `p002`)");
  }

  @Test
  void reportsAFolderOfRunsIntoAnotherFolder() throws Exception {
    Path runs = dir.resolve("my runs");
    List<Point> pts = study().subList(0, 6);
    for (int i = 0; i < pts.size(); i++) {
      writeRun(runs.resolve("run-" + i), "run-" + i, pts.get(i));
    }
    Files.createDirectories(runs.resolve("not-a-run"));
    Path out = dir.resolve("reports/runs");
    CliResult r = CliResult.run("report", runs.toString(), "--output", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(out.resolve("report.md"));
    assertThat(md)
        .contains("Run folders in `" + runs + "`: 6 runs (6 done")
        .contains("## W4A4")
        .contains("PTQ 70.00%")
        .contains("plain QAT 90.00%")
        .contains("| `cwpn` | 0.1 | 256 | 1 | 85.00% | 75% |")
        .doesNotContain("swept values");
    assertThat(checkLinks(out.resolve("report.md")))
        .contains("../../my%20runs/run-2/resolved-config.yaml");
    checkPng(out.resolve("accuracy-vs-p-w4a4.png"), 1000, 650);
    assertThat(md).contains("No row-importance figure").contains("--importance");
  }

  @Test
  void aFolderWithoutPointsOrWithDamagedFilesIsAOneLineError() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliResult none = CliResult.run("report", empty.toString());
    assertThat(none.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(none.err().strip())
        .isEqualTo(
            "efqat: error: "
                + empty
                + " is neither a sweep folder (no sweep.json) nor a folder of runs (no subfolder"
                + " with metrics.json and resolved-config.yaml)");

    CliResult missing = CliResult.run("report", dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(missing.err().strip()).isEqualTo("efqat: error: no folder " + dir.resolve("nope"));

    Path runs = dir.resolve("runs");
    writeRun(runs.resolve("a"), "a", study().get(0));
    Files.writeString(runs.resolve("a/metrics.json"), "{\"fp\": {\"test\": [1, 2]}}");
    CliResult bad = CliResult.run("report", runs.toString());
    assertThat(bad.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(bad.err().strip())
        .startsWith(
            "efqat: error: "
                + runs.resolve("a/metrics.json")
                + " is not a valid"
                + " metrics.json (")
        .doesNotContain("\n");

    Files.writeString(runs.resolve("a/metrics.json"), "{\"ptq\": {\"calibration\": \"minmax\"}}");
    CliResult noAccuracy = CliResult.run("report", runs.toString());
    assertThat(noAccuracy.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(noAccuracy.err().strip())
        .contains("metrics.json is not a valid metrics.json (a stage has no test accuracy)")
        .doesNotContain("\n");

    Path sweep = Files.createDirectories(dir.resolve("sweep"));
    Files.writeString(sweep.resolve("sweep.json"), "{\"name\": \"x\", \"rows\": 3}");
    CliResult badSweep = CliResult.run("report", sweep.toString());
    assertThat(badSweep.exit()).isEqualTo(EfqatCli.EXIT_FAILURE);
    assertThat(badSweep.err().strip())
        .startsWith("efqat: error: " + sweep.resolve("sweep.json") + " is not a valid sweep.json")
        .doesNotContain("\n");
  }

  /** A tiny real sweep (synthetic data, seconds), then its report with computed importance. */
  @Test
  void reportsATinyRealSweep() throws Exception {
    Path file = dir.resolve("tiny.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: tiny
        seed: 3
        backend: nd4j
        output: %s
        model: {architecture: {type: cnn, width: 4}}
        data: {dataset: synthetic, batchSize: 32, trainSamples: 256, testSamples: 128}
        pretrain:
          epochs: 1
          optimizer: {type: sgd, lr: 0.05}
        quantization:
          weights: {type: lsq, bits: 4}
          activations: {type: lsq-plus, bits: 4}
        efqat:
          freeze: {type: cwpn, p: 0.25}
          interval: 64
          epochs: 1
        optimizer: {type: adamw, lr: 0.001}
        divergence: {maxLoss: 50}
        sweep:
          efqat.freeze.type: [cwpn, cwpl]
          efqat.freeze.p: [0.25, 0.5]
          seed: [3, 4]
          points:
            - {efqat.freeze.type: none}
            - {efqat.freeze.type: all}
            - {optimizer.lr: 90}
        """
            .formatted(dir.resolve("out")));
    CliResult sweep = CliResult.run("sweep", file.toString());
    assertThat(sweep.exit()).as("the lr = 90 point fails: " + sweep.out()).isEqualTo(1);
    Path folder = dir.resolve("out/tiny");

    CliResult r = CliResult.run("report", folder.toString(), "--importance");
    assertThat(r.exit()).as(r.err()).isZero();
    Path out = folder.resolve("report");
    String md = Files.readString(out.resolve("report.md"));
    assertThat(md)
        .contains("11 points (10 done, 1 failed, 0 started, 0 pending)")
        .contains("## W4A4\n")
        .contains("## W4A4 · optimizer.lr=90")
        .contains("| cwpl |")
        .contains("| cwpn |")
        .contains("plain QAT")
        .contains("diverged")
        .contains("computed by `efqat report --importance`");
    checkLinks(out.resolve("report.md"));
    checkPng(out.resolve("accuracy-vs-p-w4a4.png"), 1000, 650);
    checkPng(out.resolve("accuracy-vs-backward-w4a4.png"), 1000, 650);
    assertThat(out.resolve("importance-p009.json")).isRegularFile();
    assertThat(ImageIO.read(out.resolve("importance-p009-layers.png").toFile())).isNotNull();
    assertThat(Files.readString(out.resolve("report.html"))).contains("<table>").contains("<img");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
    }
  }
}
