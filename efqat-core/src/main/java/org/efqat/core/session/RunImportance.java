package org.efqat.core.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.nn.Network;

/**
 * The row importance of one stage of a finished (or partly finished) run: rebuilds the network the
 * stage left, from the run folder's checkpoints, and scores every row of every weight layer with
 * the experiment's importance metric ({@code efqat.importance}, DESIGN.md 1.2; EfQAT Figure 3).
 *
 * <ul>
 *   <li>{@link Stage#PRETRAIN}: the FP network of {@code fp.safetensors};
 *   <li>{@link Stage#PTQ}: that network after PTQ calibration (BatchNorm folded if configured) and
 *       refinements, restored from {@code ptq.safetensors} where the run has one (else calibrated
 *       again, as the run calibrated it);
 *   <li>{@link Stage#EFQAT}: the calibrated network with {@code efqat.safetensors} loaded (its
 *       tensors include the quantizer parameters and fit only the calibrated, possibly folded,
 *       form).
 * </ul>
 */
public final class RunImportance {
  private RunImportance() {}

  /**
   * @param session a session on the run's {@code resolved-config.yaml}
   * @param runFolder the run folder holding the checkpoints
   * @param stage the stage whose weights are scored
   * @return every row's importance
   * @throws RunException naming the file if a checkpoint the stage needs is missing, or if the
   *     metric needs gradients (a checkpoint has none)
   * @throws IOException if a checkpoint cannot be read
   */
  public static RowImportance compute(ExperimentSession session, Path runFolder, Stage stage)
      throws IOException {
    Objects.requireNonNull(stage, "stage is null");
    Path fp = runFolder.resolve(Stage.PRETRAIN.checkpointFile());
    Path efqat = runFolder.resolve(Stage.EFQAT.checkpointFile());
    require(fp, Stage.PRETRAIN);
    if (stage == Stage.EFQAT) {
      require(efqat, Stage.EFQAT);
    }
    ImportanceMetric metric = session.experiment().importance().create(session.context());
    String name = session.experiment().importance().provider().name();
    if (metric.needsGradients()) {
      throw new RunException(
          "importance metric "
              + name
              + " needs weight gradients, which a checkpoint does not hold; use a weight-only"
              + " metric such as mean-abs");
    }
    Network net = StageNetworks.rebuild(session, runFolder, stage);
    try {
      return RowImportance.of(net, metric, name);
    } finally {
      net.release();
    }
  }

  private static void require(Path file, Stage stage) {
    if (!Files.isRegularFile(file)) {
      throw new RunException(
          "no "
              + stage.name()
              + " checkpoint "
              + file
              + "; run the experiment up to that stage first (efqat run FILE)");
    }
  }
}
