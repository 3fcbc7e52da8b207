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
 * @param gradients per parameter, the difference of its first-step gradient, in backward order
 *     (last layer first)
 * @param stepLayers per weight layer, its input difference and level flips in the first EfQAT
 *     step's forward pass (the training batch)
 * @param backward per top-level layer in backward order, the difference of its input gradient in
 *     one backward pass on the probe images
 */
public record Agreement(
    String backend,
    double tolerance,
    ArrayDiff calibration,
    String calibrationParameter,
    ArrayDiff ptqLogits,
    ArrayDiff stepLogits,
    List<LayerAgreement> layers,
    List<GradientAgreement> gradients,
    List<LayerAgreement> stepLayers,
    List<BackwardAgreement> backward) {

  /**
   * @param layer a top-level layer
   * @param kind its class
   * @param gradInput the difference of its input gradient
   */
  public record BackwardAgreement(String layer, String kind, ArrayDiff gradInput) {}

  /**
   * @param parameter the parameter
   * @param gradient its first-step gradient difference
   */
  public record GradientAgreement(String parameter, ArrayDiff gradient) {}

  /**
   * One weight layer's input on both backends during the PTQ probe.
   *
   * @param layer the layer
   * @param input the raw input difference
   * @param flips inputs whose quantized value differs by at least half a step (a different
   *     quantization level), or 0 when the layer is not quantized
   * @param maskFlips inputs on the clipping boundary: the same quantized value, but the
   *     straight-through gradient passes on one backend and is blocked on the other
   * @param values the number of inputs
   */
  public record LayerAgreement(
      String layer, ArrayDiff input, long flips, long maskFlips, long values) {}

  /**
   * @param reference the reference backend's probe
   * @param other another backend's probe
   * @param tolerance the relative tolerance for logits
   * @return the comparison
   */
  static Agreement of(
      AgreementProbe.Result reference, AgreementProbe.Result other, double tolerance) {
    ArrayDiff calibration = new ArrayDiff(0, 0, -1);
    String where = "";
    for (Map.Entry<String, float[]> e : reference.calibrated().entrySet()) {
      String name = e.getKey();
      // <layer>.weight_step, .input_zero_point, ...; <attention>.self.query_act.step, ...
      if (!name.endsWith("step") && !name.endsWith("zero_point")) {
        continue;
      }
      ArrayDiff d = ArrayDiff.of(e.getValue(), other.calibrated().get(name));
      if (d.maxRel() > calibration.maxRel()) {
        calibration = d;
        where = name;
      }
    }
    List<LayerAgreement> layers = layerAgreements(reference.inputs(), other.inputs());
    List<GradientAgreement> gradients = new ArrayList<>();
    reference
        .stepGradients()
        .forEach(
            (name, g) ->
                gradients.add(
                    0,
                    new GradientAgreement(name, ArrayDiff.of(g, other.stepGradients().get(name)))));
    return new Agreement(
        other.backend(),
        tolerance,
        calibration,
        where,
        ArrayDiff.of(reference.ptqLogits(), other.ptqLogits()),
        ArrayDiff.of(reference.stepLogits(), other.stepLogits()),
        layers,
        gradients,
        layerAgreements(reference.stepInputs(), other.stepInputs()),
        backwardAgreements(reference.inputGradients(), other.inputGradients()));
  }

  private static List<BackwardAgreement> backwardAgreements(
      List<AgreementProbe.LayerGradient> reference, List<AgreementProbe.LayerGradient> other) {
    List<BackwardAgreement> list = new ArrayList<>();
    for (int i = 0; i < Math.min(reference.size(), other.size()); i++) {
      var a = reference.get(i);
      list.add(
          new BackwardAgreement(
              a.layer(), a.kind(), ArrayDiff.of(a.gradInput(), other.get(i).gradInput())));
    }
    return list;
  }

  /**
   * @return the first layer in backward order whose input gradient differs by more than the
   *     tolerance, with the likely reason when it is a max pooling; empty when none does
   */
  public String backwardExplanation() {
    return backward.stream()
        .filter(b -> !b.gradInput().within(tolerance))
        .findFirst()
        .map(
            b ->
                String.format(
                    Locale.ROOT,
                    "the first layer whose input gradient parts is %s" + " (%s, max rel %.1e)%s",
                    b.layer(),
                    b.kind(),
                    b.gradInput().maxRel(),
                    b.kind().equals("MaxPool2d")
                        ? ": max pooling sends each window's gradient to one"
                            + " maximum, and activations that tie exactly on one backend (a flat image"
                            + " background gives equal values) differ by an ulp on the other, whose"
                            + " convolution sums in another order, so the gradient goes to another position"
                        : ""))
        .orElse("");
  }

  private static List<LayerAgreement> layerAgreements(
      List<AgreementProbe.LayerInput> reference, List<AgreementProbe.LayerInput> other) {
    List<LayerAgreement> layers = new ArrayList<>();
    for (int i = 0; i < reference.size(); i++) {
      AgreementProbe.LayerInput a = reference.get(i);
      AgreementProbe.LayerInput b = other.get(i);
      layers.add(
          new LayerAgreement(
              a.layer(),
              ArrayDiff.of(a.raw(), b.raw()),
              flips(a, b),
              maskFlips(a, b),
              a.raw().length));
    }
    return layers;
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

  private static long maskFlips(AgreementProbe.LayerInput a, AgreementProbe.LayerInput b) {
    if (a.passes() == null || b.passes() == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < a.passes().length; i++) {
      if (a.passes()[i] != b.passes()[i]) {
        n++;
      }
    }
    return n;
  }

  /**
   * An agreement as {@code compare.json} holds it: the numbers and the verdicts.
   *
   * @param numbers the agreement
   * @param ptqWithinTolerance whether the PTQ logits agree within the tolerance
   * @param stepWithinTolerance whether the logits after the first EfQAT step agree
   * @param explanation where and why the backends part, in words
   */
  public record Json(
      @com.fasterxml.jackson.annotation.JsonUnwrapped Agreement numbers,
      boolean ptqWithinTolerance,
      boolean stepWithinTolerance,
      String explanation) {}

  /**
   * @return this agreement with its verdicts, for {@code compare.json}
   */
  public Json json() {
    return new Json(this, ptqWithin(), stepWithin(), explanation());
  }

  /**
   * @return whether the logits after PTQ are within the tolerance
   */
  public boolean ptqWithin() {
    return ptqLogits.within(tolerance);
  }

  /**
   * @return whether the logits after the first EfQAT step are within the tolerance
   */
  public boolean stepWithin() {
    return stepLogits.within(tolerance);
  }

  /**
   * @return where the first EfQAT step parts, in one sentence: the first parameter in backward
   *     order whose gradient differs by more than the tolerance; empty when none does
   */
  public String gradientExplanation() {
    return gradients.stream()
        .filter(g -> !g.gradient().within(tolerance))
        .findFirst()
        .map(
            g ->
                String.format(
                    Locale.ROOT,
                    "the first gradient over the tolerance in backward"
                        + " order is %s's (max rel %.1e at index %d)",
                    g.parameter(),
                    g.gradient().maxRel(),
                    g.gradient().index()))
        .orElse("");
  }

  /**
   * @return the total number of quantization-level flips over all layer inputs after PTQ
   */
  public long totalFlips() {
    return layers.stream().mapToLong(LayerAgreement::flips).sum();
  }

  /**
   * @return the quantization-level flips in the first EfQAT step's forward pass
   */
  public long stepFlips() {
    return stepLayers.stream().mapToLong(LayerAgreement::flips).sum();
  }

  /**
   * @return the clipping-boundary inputs in the first EfQAT step's forward pass
   */
  public long stepMaskFlips() {
    return stepLayers.stream().mapToLong(LayerAgreement::maskFlips).sum();
  }

  /**
   * @return where the backends part and why, in one sentence; empty when the PTQ logits agree
   */
  public String explanation() {
    if (ptqWithin()) {
      return "";
    }
    LayerAgreement firstOver =
        layers.stream().filter(l -> !l.input().within(tolerance)).findFirst().orElse(null);
    LayerAgreement firstFlip = layers.stream().filter(l -> l.flips() > 0).findFirst().orElse(null);
    StringBuilder s = new StringBuilder();
    if (firstOver != null) {
      s.append(
          String.format(
              Locale.ROOT,
              "first layer input over the tolerance: %s (rel %.1e)",
              firstOver.layer(),
              firstOver.input().maxRel()));
    } else {
      s.append("every layer input agrees within the tolerance before quantization");
    }
    if (firstFlip != null) {
      long total = totalFlips();
      long values = layers.stream().mapToLong(LayerAgreement::values).sum();
      s.append(
          String.format(
              Locale.ROOT,
              "; %d of %d quantized layer inputs land on a different"
                  + " level, first in %s: FP32 rounding differences of ~1e-7 (GEMM summation order)"
                  + " push values across a rounding boundary, and each such flip moves an input by a"
                  + " whole quantization step",
              total,
              values,
              firstFlip.layer()));
    } else if (firstOver != null) {
      s.append(
          "; no input changes quantization level, so the difference is FP32 summation"
              + " order in the GEMMs growing through the layers");
    } else {
      s.append(
          " and no input changes quantization level: the difference arises in the last"
              + " layer's GEMM (FP32 summation order)");
    }
    return s.toString();
  }
}
