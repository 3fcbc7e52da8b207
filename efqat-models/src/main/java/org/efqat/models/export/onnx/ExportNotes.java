package org.efqat.models.export.onnx;

import java.util.Map;
import java.util.TreeMap;
import org.efqat.api.quant.QuantGrid;

/** Counts what the QDQ form of a network used, for {@link QdqSummary}. */
final class ExportNotes {
  private final Map<String, Integer> weights = new TreeMap<>();
  private final Map<String, Integer> activations = new TreeMap<>();
  private int clips;
  private int shifts;

  void weights(IntType type, QuantGrid grid) {
    weights.merge(type + " (" + grid.bits() + "-bit grid)", 1, Integer::sum);
  }

  void activation(IntType type) {
    activations.merge(type.toString(), 1, Integer::sum);
  }

  void activationClip() {
    clips++;
  }

  void zeroPointShift() {
    shifts++;
  }

  QdqSummary summary() {
    return new QdqSummary(weights, activations, clips, shifts);
  }
}
