package org.efqat.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.efqat.core.sweep.PointStatus;
import org.junit.jupiter.api.Test;

/** Grouping, statistics over seeds, reference levels and gap shares on hand-made points. */
class ReportModelTest {
  private static final Offset<Double> EPS = within(1e-12);

  private final List<ReportPoint> points = new ArrayList<>();

  /** A finished point. */
  private void done(
      String policy,
      Double p,
      int bits,
      long interval,
      long seed,
      String backend,
      double ptq,
      double efqat,
      double backwardMs) {
    add(policy, p, bits, interval, seed, backend, ptq, efqat, backwardMs, PointStatus.DONE, null);
  }

  private void add(
      String policy,
      Double p,
      int bits,
      long interval,
      long seed,
      String backend,
      Double ptq,
      Double efqat,
      Double backwardMs,
      PointStatus status,
      String error) {
    String id = String.format("p%03d", points.size());
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("efqat.freeze.type", policy);
    if (p != null && !policy.equals("none") && !policy.equals("all")) {
      values.put("efqat.freeze.p", p);
    }
    values.put("seed", seed);
    points.add(
        new ReportPoint(
            id,
            "points/s-" + id,
            values,
            status,
            new RunFacts(
                policy, p, bits, bits, null, null, interval, seed, backend, "cnn", "synthetic"),
            0.95,
            ptq,
            efqat,
            efqat == null ? null : p,
            backwardMs,
            null,
            error,
            true,
            true));
  }

  private ReportModel model() {
    return ReportModel.of(
        new ReportSource(
            ReportSource.Kind.SWEEP,
            "s",
            Path.of("s"),
            List.of("efqat.freeze.type", "efqat.freeze.p", "seed"),
            points));
  }

  private static PointGroup group(Panel panel, String policy, double p) {
    return panel.groups().stream()
        .filter(g -> g.setting().policy().equals(policy) && g.setting().p() == p)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void statsAreTheMeanAndTheSampleStandardDeviation() {
    Stats s = Stats.of(java.util.Arrays.asList(1.0, null, 2.0, 3.0));
    assertThat(s.mean()).isEqualTo(2.0);
    assertThat(s.std()).isEqualTo(1.0);
    assertThat(s.n()).isEqualTo(3);
    assertThat(Stats.of(List.of(0.5)).std()).isZero();
    assertThat(Stats.of(List.of())).isNull();
  }

  @Test
  void groupsSeedsPerSettingAndClosesTheGapBetweenPtqAndQat() {
    for (long seed : new long[] {1, 2}) {
      double ptq = seed == 1 ? 0.70 : 0.72;
      done("all", 1.0, 4, 256, seed, "nd4j", ptq, seed == 1 ? 0.90 : 0.92, seed == 1 ? 100 : 110);
      done("none", 0.0, 4, 256, seed, "nd4j", ptq, seed == 1 ? 0.80 : 0.82, 50);
      done("cwpn", 0.1, 4, 256, seed, "nd4j", ptq, seed == 1 ? 0.85 : 0.87, seed == 1 ? 70 : 80);
    }
    done("cwpn", 0.5, 4, 256, 1, "nd4j", 0.70, 0.89, 90);
    add("cwpn", 0.5, 4, 256, 2, "nd4j", 0.72, null, null, PointStatus.FAILED, "diverged");
    done("cwpl", 0.1, 4, 256, 1, "nd4j", 0.70, 0.83, 72);
    done("cwpn", 0.1, 8, 256, 1, "nd4j", 0.88, 0.90, 70);
    points.add(
        new ReportPoint(
            "p099",
            "points/s-p099",
            Map.of("seed", 9),
            PointStatus.PENDING,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            false));

    ReportModel m = model();
    assertThat(m.panels()).extracting(Panel::label).containsExactly("W8A8", "W4A4");
    assertThat(m.panels()).extracting(Panel::slug).containsExactly("w8a8", "w4a4");
    assertThat(m.unplaced()).extracting(ReportPoint::id).containsExactly("p099");
    assertThat(m.failed()).extracting(ReportPoint::error).containsExactly("diverged");

    Panel w4 = m.panels().get(1);
    assertThat(w4.groups())
        .extracting(g -> g.setting().policy() + "@" + g.setting().p())
        .containsExactly("cwpl@0.1", "cwpn@0.1", "cwpn@0.5", "none@0.0", "all@1.0");
    References r = w4.references();
    assertThat(r.ptq().mean()).isCloseTo(0.71, EPS);
    assertThat(r.ptq().std()).isCloseTo(Math.sqrt(2e-4), EPS);
    assertThat(r.ptq().n()).as("one PTQ per seed").isEqualTo(2);
    assertThat(r.qat().mean()).isCloseTo(0.91, EPS);
    assertThat(r.none().mean()).isCloseTo(0.81, EPS);
    assertThat(r.qatBackwardMs().mean()).isCloseTo(105, EPS);
    assertThat(r.gap()).isCloseTo(0.20, EPS);
    assertThat(r.closed(r.none().mean())).isCloseTo(0.5, EPS);

    PointGroup cwpn = group(w4, "cwpn", 0.1);
    assertThat(cwpn.points()).hasSize(2);
    assertThat(cwpn.efqat().mean()).isCloseTo(0.86, EPS);
    assertThat(cwpn.efqat().std()).isCloseTo(Math.sqrt(2e-4), EPS);
    assertThat(cwpn.gapClosed()).isCloseTo(0.75, EPS);
    assertThat(cwpn.backwardMs().mean()).isCloseTo(75, EPS);
    assertThat(cwpn.speedup()).isCloseTo(1.4, EPS);
    assertThat(cwpn.rowsTrained().mean()).isCloseTo(0.1, EPS);

    PointGroup half = group(w4, "cwpn", 0.5);
    assertThat(half.points()).as("the failed seed is listed").hasSize(2);
    assertThat(half.done()).hasSize(1);
    assertThat(half.efqat().n()).isEqualTo(1);
    assertThat(half.gapClosed()).isCloseTo(0.9, EPS);

    assertThat(w4.intervalVaries()).isFalse();
    assertThat(w4.intervalSeries()).isEmpty();
    assertThat(w4.pSeries()).extracting(Series::label).containsExactly("cwpl", "cwpn");
    assertThat(w4.pSeries().get(1).points()).extracting(Series.Point::x).containsExactly(0.1, 0.5);
    assertThat(w4.timedGroups()).hasSize(5);

    Panel w8 = m.panels().get(0);
    assertThat(w8.references().qat()).isNull();
    assertThat(w8.references().gap()).isNull();
    assertThat(group(w8, "cwpn", 0.1).gapClosed()).isNull();
    assertThat(group(w8, "cwpn", 0.1).speedup()).isNull();

    assertThat(m.representative().id()).as("the first plain-QAT point").isEqualTo("p000");
  }

  @Test
  void aVariedIntervalSplitsTheLinesOfPAndDrawsItsOwnAxis() {
    done("cwpn", 0.1, 8, 256, 1, "tf", 0.8, 0.85, 10);
    done("cwpn", 0.1, 8, 4096, 1, "tf", 0.8, 0.86, 10);
    done("cwpn", 0.25, 8, 4096, 1, "tf", 0.8, 0.87, 10);
    done("lwpn", 0.1, 8, 256, 1, "tf", 0.8, 0.84, 10);
    Panel panel = model().panels().get(0);
    assertThat(panel.intervalVaries()).isTrue();
    assertThat(panel.pSeries())
        .extracting(Series::label)
        .containsExactly("cwpn, f = 256", "cwpn, f = 4096", "lwpn, f = 256");
    assertThat(panel.intervalSeries())
        .extracting(Series::label)
        .containsExactly("cwpn, p = 0.1", "cwpn, p = 0.25", "lwpn, p = 0.1");
    assertThat(panel.intervalSeries().get(0).points())
        .extracting(Series.Point::x)
        .containsExactly(256.0, 4096.0);
  }

  @Test
  void aVaryingBackendOrExtraPathSplitsPanels() {
    done("cwpn", 0.1, 8, 256, 1, "nd4j", 0.8, 0.85, 10);
    done("cwpn", 0.1, 8, 256, 1, "tf", 0.8, 0.86, 10);
    ReportModel m = model();
    assertThat(m.panels()).extracting(Panel::label).containsExactly("W8A8 · nd4j", "W8A8 · tf");
    assertThat(m.panels()).extracting(Panel::slug).containsExactly("w8a8-nd4j", "w8a8-tf");

    points.clear();
    done("cwpn", 0.1, 4, 256, 1, "nd4j", 0.8, 0.85, 10);
    add("cwpn", 0.1, 4, 256, 1, "nd4j", 0.8, null, null, PointStatus.FAILED, "lr too high");
    Map<String, Object> values = new LinkedHashMap<>(points.get(1).values());
    values.put("optimizer.lr", 90);
    ReportPoint odd = points.remove(1);
    points.add(
        new ReportPoint(
            odd.id(),
            odd.folder(),
            values,
            odd.status(),
            odd.facts(),
            null,
            null,
            null,
            null,
            null,
            null,
            odd.error(),
            true,
            true));
    assertThat(model().panels())
        .extracting(Panel::label)
        .containsExactly("W4A4", "W4A4 · optimizer.lr=90");
  }

  @Test
  void factsComeFromTheValuesWithPOfNoneAndAll() {
    RunFacts none = RunFacts.of(Map.of("efqat.freeze.type", "none", "backend", "tf"));
    assertThat(none.p()).isZero();
    assertThat(none.backend()).isEqualTo("tf");
    assertThat(none.picksRows()).isFalse();
    RunFacts all = RunFacts.of(Map.of("efqat.freeze.type", "all", "seed", 7));
    assertThat(all.p()).isEqualTo(1.0);
    assertThat(all.seed()).isEqualTo(7L);
    RunFacts mixed =
        new RunFacts("cwpn", 0.1, 4, 4, 8, 8, 256L, 1L, "nd4j", "resnet20", "fashion-mnist");
    assertThat(mixed.bitsLabel()).isEqualTo("W4A4 (first/last 8)");
    assertThat(ReportModel.slug(mixed.bitsLabel())).isEqualTo("w4a4-first-last-8");
  }
}
