package org.efqat.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.freeze.FractionConfig;
import org.efqat.core.registry.ComponentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code sweep:} section expands into validated points: grid order, explicit points, errors. */
class SweepPlanTest {
  /** A valid experiment without a sweep section, its output {@code out}. */
  static final String BASE =
      """
      version: 1
      name: study
      seed: 7
      backend: unavailable-test
      output: out
      model:
        architecture: test-cnn
      data:
        dataset: test-patches
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
      efqat:
        freeze: {type: cwpn, p: 0.1}
        interval: 1024
      optimizer: {type: sgd, lr: 0.01}
      """;

  private final ComponentRegistry registry = ComponentRegistry.loadDefault();
  private final ExperimentLoader loader = new ExperimentLoader(registry);
  @TempDir Path dir;

  private Sweep expand(String sweep) throws Exception {
    Path f = dir.resolve("study.yaml");
    Files.writeString(f, BASE + sweep);
    return SweepPlan.expand(loader.loadSweep(f), loader, registry);
  }

  private String errorOf(String sweep) {
    assertThatThrownBy(() -> expand(sweep)).isInstanceOf(ExperimentValidationException.class);
    try {
      expand(sweep);
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError();
  }

  @Test
  void theGridVariesTheLastAxisFastestAndExplicitPointsFollow() throws Exception {
    Sweep s =
        expand(
            """
            sweep:
              efqat.freeze.type: [cwpl, lwpn]
              efqat.freeze.p: [0.05, 0.25]
              points:
                - {efqat.freeze.type: none}
                - {efqat.freeze.type: random, efqat.freeze.p: 0.5, seed: 3}
            """);
    assertThat(s.axes()).containsExactly("efqat.freeze.type", "efqat.freeze.p");
    assertThat(s.points()).hasSize(6);
    assertThat(s.points().stream().map(SweepPoint::describe))
        .containsExactly(
            "efqat.freeze.type=cwpl efqat.freeze.p=0.05",
            "efqat.freeze.type=cwpl efqat.freeze.p=0.25",
            "efqat.freeze.type=lwpn efqat.freeze.p=0.05",
            "efqat.freeze.type=lwpn efqat.freeze.p=0.25",
            "efqat.freeze.type=none",
            "efqat.freeze.type=random efqat.freeze.p=0.5 seed=3");
    SweepPoint p1 = s.point(1);
    assertThat(p1.id()).isEqualTo("p001");
    assertThat(p1.experiment().config().name()).isEqualTo("study-p001");
    assertThat(Path.of(p1.experiment().config().output()))
        .isEqualTo(Path.of("out", "study", "points"));
    assertThat(p1.experiment().freeze().provider().name()).isEqualTo("cwpl");
    assertThat(((FractionConfig) p1.experiment().freeze().config()).p()).isEqualTo(0.25);
    assertThat(s.point(4).experiment().freeze().provider().name()).isEqualTo("none");
    assertThat(s.point(5).experiment().config().seed()).isEqualTo(3L);
    assertThat(s.folder()).isEqualTo(Path.of("out", "study"));
  }

  @Test
  void furtherGridsFollowTheFirstAndLinkPathsThatChangeTogether() throws Exception {
    Sweep s =
        expand(
            """
            sweep:
              efqat.freeze.p: [0.05, 0.1]
              grids:
                - {quantization.weights.bits: [8], quantization.activations.bits: [8],
                   efqat.freeze.type: [cwpl, lwpn]}
                - {seed: [2, 3], efqat.freeze.p: [0.1]}
              points:
                - {efqat.freeze.type: none}
            """);
    assertThat(s.axes())
        .containsExactly(
            "efqat.freeze.p",
            "quantization.weights.bits",
            "quantization.activations.bits",
            "efqat.freeze.type",
            "seed");
    assertThat(s.points().stream().map(SweepPoint::describe))
        .containsExactly(
            "efqat.freeze.p=0.05",
            "efqat.freeze.p=0.1",
            "quantization.weights.bits=8 quantization.activations.bits=8 efqat.freeze.type=cwpl",
            "quantization.weights.bits=8 quantization.activations.bits=8 efqat.freeze.type=lwpn",
            "seed=2 efqat.freeze.p=0.1",
            "seed=3 efqat.freeze.p=0.1",
            "efqat.freeze.type=none");
    assertThat(s.point(3).experiment().config().quantization().activations().options().get("bits"))
        .isEqualTo(8);
    assertThat(s.point(5).experiment().config().seed()).isEqualTo(3L);
    assertThat(s.point(6).id()).isEqualTo("p006");
  }

  @Test
  void aMalformedGridIsNamedByItsIndexAndPath() {
    assertThat(errorOf("sweep:\n  grids: {a: [1]}\n"))
        .contains("sweep.grids must be a non-empty list of grids");
    assertThat(errorOf("sweep:\n  grids:\n    - [1]\n"))
        .contains("sweep.grids[0] must be a mapping from YAML paths to lists of values");
    assertThat(errorOf("sweep:\n  grids:\n    - {efqat.freeze.p: 0.1}\n"))
        .contains("sweep.grids[0].efqat.freeze.p must be a non-empty list of values");
    assertThat(errorOf("sweep:\n  grids:\n    - {efqat.freeze.p: [0.1, 2]}\n"))
        .contains("sweep point 1 (efqat.freeze.p=2)");
  }

  @Test
  void changingOnlyTheTypeKeepsTheOptionsTheNewTypeHas() throws Exception {
    Sweep s = expand("sweep:\n  efqat.freeze.type: [cwpl, all]\n");
    assertThat(((FractionConfig) s.point(0).experiment().freeze().config()).p()).isEqualTo(0.1);
    assertThat(s.point(1).experiment().freeze().provider().name()).isEqualTo("all");
  }

  @Test
  void everyBadPointIsReportedWithItsValuesAndPath() {
    String m =
        errorOf(
            """
            sweep:
              efqat.freeze.p: [0.1, 1.5, -1]
            """);
    assertThat(m)
        .contains("sweep point 1 (efqat.freeze.p=1.5)")
        .contains("sweep point 2 (efqat.freeze.p=-1)")
        .doesNotContain("sweep point 0");
    assertThat(errorOf("sweep:\n  efqat.freez.p: [0.1]\n")).contains("efqat.freez");
  }

  @Test
  void aMalformedSectionNamesItsLine() {
    assertThat(errorOf("sweep:\n  efqat.freeze.p: 0.1\n"))
        .contains("study.yaml:18: sweep.efqat.freeze.p must be a non-empty list of values");
    assertThat(errorOf("sweep: [1, 2]\n")).contains("sweep must be a mapping");
    assertThat(errorOf("sweep:\n  name: [a, b]\n")).contains("cannot be swept");
    assertThat(errorOf("sweep:\n  points: [0.1]\n"))
        .contains("sweep.points[0] must be a mapping from YAML paths to values");
    assertThat(errorOf("sweep:\n  efqat.freeze.p: [~]\n")).contains("is null");
  }

  @Test
  void aSweepFileIsNotASingleExperimentAndViceVersa() throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, BASE + "sweep:\n  efqat.freeze.p: [0.1]\n");
    assertThatThrownBy(() -> loader.load(f))
        .hasMessageContaining(
            "sweep declares a sweep of several experiments; run it with 'efqat sweep");
    Path g = dir.resolve("g.yaml");
    Files.writeString(g, BASE);
    assertThatThrownBy(() -> loader.loadSweep(g)).hasMessageContaining("has no 'sweep:' section");
  }

  @Test
  void pointsThatDifferOnlyAfterPtqShareTheirStageKeys() throws Exception {
    Sweep s =
        expand("sweep:\n  efqat.freeze.p: [0.05, 0.1]\n  quantization.weights.bits: [8, 4]\n");
    List<SweepPoint> p = s.points();
    assertThat(StageKeys.fp(p.get(0).experiment())).isEqualTo(StageKeys.fp(p.get(3).experiment()));
    assertThat(StageKeys.ptq(p.get(0).experiment()))
        .isEqualTo(StageKeys.ptq(p.get(2).experiment()))
        .isNotEqualTo(StageKeys.ptq(p.get(1).experiment()));
  }
}
