package org.efqat.models.export.onnx;

import java.util.Map;

/**
 * How an export stored the quantizers.
 *
 * @param weightStorage weight layers per storage type and grid, e.g. {@code "INT4 (4-bit grid)" →
 *     18}
 * @param activationStorage per-tensor activation quantizers per storage type, e.g. {@code "UINT8" →
 *     2}
 * @param clippedActivations activation quantizers whose grid is narrower than their storage type,
 *     written with a {@code Clip} before {@code QuantizeLinear}
 * @param shiftedZeroPoints activation quantizers whose zero point is not an integer, written with
 *     the integer part in {@code QuantizeLinear} and the fraction as an {@code Add} on each side
 */
public record QdqSummary(
    Map<String, Integer> weightStorage,
    Map<String, Integer> activationStorage,
    int clippedActivations,
    int shiftedZeroPoints) {
  /** Copies the maps. */
  public QdqSummary {
    weightStorage = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(weightStorage));
    activationStorage =
        java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(activationStorage));
  }
}
