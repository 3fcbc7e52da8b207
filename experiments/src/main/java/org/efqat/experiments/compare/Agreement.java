package org.efqat.experiments.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How closely one backend's {@link AgreementProbe} matches the reference backend's.
 *
 * @param backend the backend compared with the reference
 * @param tolerance the relative tolerance applied to the logits
 * @param calibration the largest difference among the calibrated step sizes and zero points
 * @param calibrationParameter the parameter where it occurs
 * @param ptqLogits logits after PTQ (shared parameters)
 * @param stepLogits logits after the first EfQAT step
 * @param layers per weight layer, its input difference and quantization-level flips
 */
public record Agreement(String backend, double tolerance, ArrayDiff calibration,
    String calibrationParameter, ArrayDiff ptqLogits, ArrayDiff stepLogits,
    List<LayerAgreement> layers) {

  /**
   * One weight layer's input on both backends during the PTQ probe.
   *
   * @param layer the layer
   * @param input the raw input difference
   * @param flips inputs whose quantized value differs by at least half a step (a different
   *     quantization level), or 0 when the layer is not quantized
   * @param values the number of inputs
   */
  public record LayerAgreement(String layer, ArrayDiff input, long flips, long values) {}

  /**
   * @param reference the reference backend's probe
   * @param other another backend's probe
   * @param tolerance the relative tolerance for logits
   * @return the comparison
   */
  static Agreement of(AgreementProbe.Result reference, AgreementProbe.Result other,
      double tolerance) {
    ArrayDiff calibration = new ArrayDiff(0, 0, -1);
    String where = "";
    for (Map.Entry<String, float[]> e : reference.calibrated().entrySet()) {
      String name = e.getKey();
      if (!name.endsWith("_step") && !name.endsWith("_zero_point")) {
        continue;
      }
      ArrayDiff d = ArrayDiff.of(e.getValue(), other.calibrated().get(name));
      if (d.maxRel() > calibration.maxRel()) {
        calibration = d;
        where = name;
      }
    }
    List<LayerAgreement> layers = new ArrayList<>();
    for (int i = 0; i < reference.inputs().size(); i++) {
      AgreementProbe.LayerInput a = reference.inputs().get(i);
      AgreementProbe.LayerInput b = other.inputs().get(i);
      layers.add(new LayerAgreement(a.layer(), ArrayDiff.of(a.raw(), b.raw()), flips(a, b),
          a.raw().length));
    }
    return new Agreement(other.backend(), tolerance, calibration, where,
        ArrayDiff.of(reference.ptqLogits(), other.ptqLogits()),
        ArrayDiff.of(reference.stepLogits(), other.stepLogits()), layers);
  }

  private static long flips(AgreementProbe.LayerInput a, AgreementProbe.LayerInput b) {
    if (a.quantized() == null || b.quantized() == null) {
      return 0;
    }
    double half = 0.5 * a.step();
    long n = 0;
    for (int i = 0; i < a.quantized().length; i++) {
      if (Math.abs(a.quantized()[i] - b.quantized()[i]) >= half) {
        n++;
      }
    }
    return n;
  }

  /** @return whether the logits after PTQ are within the tolerance */
  public boolean ptqWithin() {
    return ptqLogits.within(tolerance);
  }

  /** @return whether the logits after the first EfQAT step are within the tolerance */
  public boolean stepWithin() {
    return stepLogits.within(tolerance);
  }

  /** @return the total number of quantization-level flips over all layer inputs */
  public long totalFlips() {
    return layers.stream().mapToLong(LayerAgreement::flips).sum();
  }

  /**
   * @return where the backends part and why, in one sentence; empty when the PTQ logits agree
   */
  public String explanation() {
    if (ptqWithin()) {
      return "";
    }
    LayerAgreement firstOver = layers.stream().filter(l -> !l.input().within(tolerance))
        .findFirst().orElse(null);
    LayerAgreement firstFlip = layers.stream().filter(l -> l.flips() > 0).findFirst()
        .orElse(null);
    StringBuilder s = new StringBuilder();
    if (firstOver != null) {
      s.append(String.format(Locale.ROOT, "first layer input over the tolerance: %s (rel %.1e)",
          firstOver.layer(), firstOver.input().maxRel()));
    } else {
      s.append("every layer input agrees within the tolerance before quantization");
    }
    if (firstFlip != null) {
      long total = totalFlips();
      long values = layers.stream().mapToLong(LayerAgreement::values).sum();
      s.append(String.format(Locale.ROOT, "; %d of %d quantized layer inputs land on a different"
          + " level, first in %s: FP32 rounding differences of ~1e-7 (GEMM summation order)"
          + " push values across a rounding boundary, and each such flip moves an input by a"
          + " whole quantization step", total, values, firstFlip.layer()));
    } else if (firstOver != null) {
      s.append("; no input changes quantization level, so the difference is FP32 summation"
          + " order in the GEMMs growing through the layers");
    } else {
      s.append(" and no input changes quantization level: the difference arises in the last"
          + " layer's GEMM (FP32 summation order)");
    }
    return s.toString();
  }
}
