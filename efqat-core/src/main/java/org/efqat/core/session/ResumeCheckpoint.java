package org.efqat.core.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.spi.Resumable;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.checkpoint.SafetensorsReader;
import org.efqat.core.checkpoint.SafetensorsWriter;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.train.Optimizer;
import org.efqat.core.train.RowSelector;
import org.efqat.core.train.TrainingProgress;

/**
 * A mid-stage resume point as one safetensors file (written atomically): every parameter of the
 * network ({@code param/<name>}, our layout, FP32), the weight gradients of the last step when the
 * importance metric reads them ({@code grad/<name>}), the optimizer state ({@code
 * optim/<name>/<slot>}), and in the header's metadata the training loop's {@link TrainingProgress},
 * the row selection in force and the state of {@link Resumable} components. RNG states need no
 * saving: the data streams are replayed to the saved position (see {@link
 * org.efqat.core.train.EfqatTrainer#train}) and the rest are pure functions of the seed.
 */
final class ResumeCheckpoint {
  static final String FORMAT = "efqat-resume-1";
  private static final String PARAM = "param/";
  private static final String GRAD = "grad/";
  private static final String OPTIM = "optim/";

  /** One layer of a saved selection. */
  record SavedLayer(String layer, int rows, int[] unfrozen) {}

  /** What a training stage consists of, for saving and restoring. */
  record Parts(
      Stage stage,
      Network network,
      Optimizer optimizer,
      List<Parameter> trainable,
      RowSelector selector) {}

  private ResumeCheckpoint() {}

  static void save(Path file, Parts parts, TrainingProgress progress) {
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    boolean grads = parts.selector() != null && parts.selector().metric().needsGradients();
    for (Parameter p : parts.network().parameters().values()) {
      tensors.put(
          PARAM + p.name(), NamedTensor.of(PARAM + p.name(), p.value().clone(), p.value().length));
      if (grads && p.kind() == ParamKind.WEIGHT) {
        tensors.put(
            GRAD + p.name(), NamedTensor.of(GRAD + p.name(), p.grad().clone(), p.grad().length));
      }
    }
    parts
        .optimizer()
        .state()
        .forEach((k, v) -> tensors.put(OPTIM + k, NamedTensor.of(OPTIM + k, v, v.length)));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("stage", parts.stage().name());
    try {
      meta.put("progress", RunFolder.json().writeValueAsString(progress));
      if (parts.selector() != null && parts.selector().last() != null) {
        meta.put("selection", RunFolder.json().writeValueAsString(saved(parts.selector().last())));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the training state as JSON: " + e, e);
    }
    if (parts.selector() != null) {
      if (parts.selector().policy() instanceof Resumable r) {
        meta.put("policyState", r.saveState());
      }
      if (parts.selector().metric() instanceof Resumable r) {
        meta.put("importanceState", r.saveState());
      }
    }
    SafetensorsWriter.write(file, tensors, meta, SafetensorsDtype.F32);
  }

  /**
   * Puts the network, the optimizer and the selection back to a resume point.
   *
   * @return the training loop's state there
   * @throws RunException naming the file if it is damaged, of another stage, or does not fit
   */
  static TrainingProgress load(Path file, Parts parts) {
    Checkpoint ckpt;
    try {
      ckpt = SafetensorsReader.read(file);
    } catch (CheckpointException e) {
      throw new RunException(
          file
              + ": cannot read the resume checkpoint: "
              + e.getMessage()
              + "; delete it to restart the stage, or pass --fresh",
          e);
    }
    Map<String, String> meta = ckpt.metadata();
    if (!FORMAT.equals(meta.get("format")) || !parts.stage().name().equals(meta.get("stage"))) {
      throw new RunException(
          file
              + " is not a resume checkpoint of stage "
              + parts.stage()
              + " (format "
              + meta.get("format")
              + ", stage "
              + meta.get("stage")
              + ")");
    }
    try {
      Map<String, float[]> optim = new LinkedHashMap<>();
      for (NamedTensor t : ckpt.tensors().values()) {
        if (t.name().startsWith(OPTIM)) {
          optim.put(t.name().substring(OPTIM.length()), t.data());
        }
      }
      for (Parameter p : parts.network().parameters().values()) {
        copy(ckpt, PARAM + p.name(), p.value());
        if (ckpt.tensors().containsKey(GRAD + p.name())) {
          copy(ckpt, GRAD + p.name(), p.grad());
        }
      }
      parts.optimizer().restoreState(optim, parts.trainable());
      TrainingProgress progress =
          RunFolder.json().readValue(required(meta, "progress"), TrainingProgress.class);
      if (parts.selector() != null) {
        String selection = meta.get("selection");
        if (selection != null) {
          parts
              .selector()
              .restore(
                  selection(
                      RunFolder.json()
                          .readValue(selection, new TypeReference<List<SavedLayer>>() {})));
        }
        restore(parts.selector().policy(), meta.get("policyState"), "freeze policy");
        restore(parts.selector().metric(), meta.get("importanceState"), "importance metric");
      }
      return progress;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new RunException(
          file
              + ": the resume checkpoint does not fit this run ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); delete it to restart the stage,"
              + " or pass --fresh",
          e);
    }
  }

  private static String required(Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) {
      throw new IllegalArgumentException("metadata '" + key + "' is missing");
    }
    return v;
  }

  private static void restore(Object component, String state, String what) {
    if (component instanceof Resumable r) {
      if (state == null) {
        throw new IllegalArgumentException("the " + what + " keeps state but none was saved");
      }
      r.restoreState(state);
    }
  }

  private static void copy(Checkpoint ckpt, String name, float[] into) {
    NamedTensor t = ckpt.get(name);
    if (t.data().length != into.length) {
      throw new IllegalArgumentException(
          name + " has " + t.data().length + " values, the network" + " has " + into.length);
    }
    System.arraycopy(t.data(), 0, into, 0, into.length);
  }

  private static List<SavedLayer> saved(RowSelection s) {
    List<SavedLayer> out = new ArrayList<>();
    for (String layer : s.layers()) {
      out.add(new SavedLayer(layer, s.rowCount(layer), s.unfrozenRows(layer)));
    }
    return out;
  }

  private static RowSelection selection(List<SavedLayer> layers) {
    RowSelection.Builder b = RowSelection.builder();
    for (SavedLayer l : layers) {
      b.addLayer(l.layer(), l.rows(), l.unfrozen());
    }
    return b.build();
  }
}
