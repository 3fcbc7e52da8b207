package org.efqat.core.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Collectors;
import org.efqat.core.checkpoint.NetworkCheckpoint;
import org.efqat.core.nn.Network;

/**
 * The network a finished stage of a run left, rebuilt from the run folder for tools that use a
 * trained model after the run ({@code efqat export}): the stage must be listed as complete in
 * {@code state.json}, and its checkpoints must be there.
 *
 * <ul>
 *   <li>{@link Stage#PTQ}: the calibrated (and refined) network, restored from {@code
 *       ptq.safetensors} ({@link ExperimentSession#restoreCalibrated}); a run written before PTQ
 *       had a checkpoint is calibrated again from {@code fp.safetensors}, as the run calibrated it;
 *   <li>{@link Stage#EFQAT}: that network with {@code efqat.safetensors} loaded.
 * </ul>
 *
 * Unlike {@link RunImportance}, which scores a stage's weights whatever state the run is in, this
 * refuses a stage that did not finish: a half-trained network is not a result to deploy.
 */
public final class StageNetworks {
  private StageNetworks() {}

  /**
   * @param session a session on the run's {@code resolved-config.yaml}
   * @param runFolder the run folder
   * @param stage {@link Stage#PTQ} or {@link Stage#EFQAT}
   * @return the stage's quantized network on the session's backend; release it when done
   * @throws RunException naming the folder and the file when the stage did not finish or a
   *     checkpoint it needs is missing
   * @throws org.efqat.core.checkpoint.CheckpointException naming the file when a checkpoint cannot
   *     be read or does not fit the network
   */
  public static Network restore(ExperimentSession session, Path runFolder, Stage stage) {
    Objects.requireNonNull(session, "session is null");
    Objects.requireNonNull(stage, "stage is null");
    if (stage == Stage.PRETRAIN) {
      throw new IllegalArgumentException("the FP stage has no quantized network");
    }
    RunFolder folder = new RunFolder(runFolder);
    if (!Files.isRegularFile(folder.file(RunFolder.STATE))) {
      throw new RunException(
          runFolder + ": no " + RunFolder.STATE + "; is it the folder of a finished 'efqat run'?");
    }
    RunState state = folder.readState();
    if (!state.isComplete(stage)) {
      String done =
          state.completed().isEmpty()
              ? "none"
              : state.completed().stream().map(Stage::name).collect(Collectors.joining(", "));
      throw new RunException(
          runFolder
              + ": stage "
              + stage
              + " has not finished ("
              + RunFolder.STATE
              + " lists completed stages: "
              + done
              + "); finish it with efqat run "
              + folder.file(RunFolder.CONFIG));
    }
    if (stage == Stage.EFQAT) {
      require(folder.file(Stage.EFQAT.checkpointFile()), stage);
    }
    if (!Files.isRegularFile(folder.file(Stage.PTQ.checkpointFile()))) {
      require(folder.file(Stage.PRETRAIN.checkpointFile()), Stage.PRETRAIN);
    }
    return rebuild(session, runFolder, stage);
  }

  /**
   * Rebuilds the network a stage left, without checking that the stage finished (callers check what
   * they need): {@code fp.safetensors} for {@link Stage#PRETRAIN}; the calibrated network from
   * {@code ptq.safetensors} (or, for a run written before PTQ checkpoints, calibrated again from
   * {@code fp.safetensors}) for {@link Stage#PTQ}; that plus {@code efqat.safetensors} for {@link
   * Stage#EFQAT}. Shared by {@link #restore} and {@link RunImportance}.
   *
   * @return the network on the session's backend; release it when done
   */
  static Network rebuild(ExperimentSession session, Path runFolder, Stage stage) {
    Path fp = runFolder.resolve(Stage.PRETRAIN.checkpointFile());
    Path ptq = runFolder.resolve(Stage.PTQ.checkpointFile());
    Network net = session.newNetwork();
    try {
      if (stage == Stage.PRETRAIN || !Files.isRegularFile(ptq)) {
        NetworkCheckpoint.load(net, fp);
      }
      if (stage != Stage.PRETRAIN) {
        if (Files.isRegularFile(ptq)) {
          session.restoreCalibrated(net, ptq); // no second run of the PTQ refinements
        } else {
          session.calibrate(net);
        }
      }
      if (stage == Stage.EFQAT) {
        NetworkCheckpoint.load(net, runFolder.resolve(Stage.EFQAT.checkpointFile()));
      }
      return net;
    } catch (RuntimeException e) {
      net.release();
      throw e;
    }
  }

  private static void require(Path file, Stage stage) {
    if (!Files.isRegularFile(file)) {
      throw new RunException(
          file
              + ": missing; the "
              + stage
              + " checkpoint of a completed stage must be there (was the folder copied in part?)");
    }
  }
}
