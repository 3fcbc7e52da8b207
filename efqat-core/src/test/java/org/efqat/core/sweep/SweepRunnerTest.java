package org.efqat.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunState;
import org.efqat.core.session.Stage;
import org.efqat.core.session.StopRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Points are numbered by position: after the sweep file changes, a point's folder may hold another
 * configuration's finished run, which must be reported, not counted as the point's result or run
 * over. (Running points end to end is {@code SweepCommandTest} in the experiments module.)
 */
class SweepRunnerTest {
  private final ComponentRegistry registry = ComponentRegistry.loadDefault();
  private final ExperimentLoader loader = new ExperimentLoader(registry);
  @TempDir Path dir;

  private Sweep expand(String values) throws Exception {
    Path f = dir.resolve("study.yaml");
    String output = dir.resolve("out").toString().replace('\\', '/');
    Files.writeString(
        f,
        SweepPlanTest.BASE.replace("output: out", "output: " + output)
            + "sweep:\n  efqat.freeze.p: "
            + values
            + "\n");
    return SweepPlan.expand(loader.loadSweep(f), loader, registry);
  }

  /** Writes a finished run of {@code p}'s configuration into {@code into}'s folder. */
  private static void finishedRun(SweepPoint p, SweepPoint into) throws Exception {
    RunFolder folder = new RunFolder(SweepRunner.runFolder(into));
    folder.open();
    folder.writeText(RunFolder.CONFIG, p.experiment().toYaml());
    RunState state = RunState.EMPTY;
    for (Stage s : List.of(Stage.PRETRAIN, Stage.PTQ, Stage.EFQAT)) {
      state = state.complete(s);
    }
    folder.writeJson(RunFolder.STATE, state);
  }

  @Test
  void aFinishedPointOfTheSameConfigurationIsDone() throws Exception {
    Sweep s = expand("[0.05, 0.1]");
    finishedRun(s.point(1), s.point(1));
    SweepTable t = SweepTable.of(s, Stage.EFQAT);
    assertThat(t.rows().get(1).status()).isEqualTo(PointStatus.DONE);
    assertThat(t.rows().get(0).status()).isEqualTo(PointStatus.PENDING);
    assertThat(SweepRunner.foreignRun(s, s.point(1))).isNull();
  }

  @Test
  void aFolderHoldingAnotherConfigurationsRunIsReportedAndLeftAlone() throws Exception {
    Sweep before = expand("[0.05, 0.1]");
    finishedRun(before.point(1), before.point(1));
    Sweep after = expand("[0.05, 0.25, 0.1]"); // the edit renumbers p = 0.1 from 1 to 2
    Path folder = SweepRunner.runFolder(after.point(1));
    String config = Files.readString(folder.resolve(RunFolder.CONFIG));

    SweepTable t = SweepTable.of(after, Stage.EFQAT);
    SweepTable.Row row = t.rows().get(1);
    assertThat(row.status()).isEqualTo(PointStatus.FAILED);
    assertThat(row.efqatAccuracy()).isNull();
    assertThat(row.error())
        .contains("points/study-p001 holds a run of another configuration than point 1")
        .contains("efqat.freeze.p=0.25")
        .contains("move that folder away or give the sweep a new name");

    SweepRunner runner =
        new SweepRunner(registry, after, Stage.EFQAT, StopRequests.NEVER, SweepListener.NONE);
    assertThat(runner.runPoint(1)).isEqualTo(PointStatus.FAILED);
    assertThat(Files.readString(folder.resolve(RunFolder.CONFIG))).isEqualTo(config);
    assertThat(folder.resolve(PointFailure.FILE)).doesNotExist();
    assertThat(Files.readString(after.folder().resolve(SweepTable.MARKDOWN)))
        .contains("holds a run of another configuration");
  }
}
