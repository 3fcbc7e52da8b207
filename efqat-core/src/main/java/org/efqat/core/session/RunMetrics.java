package org.efqat.core.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.ptq.LayerReport;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.SelectionEvent;
import org.efqat.core.train.StepTimings;

/**
 * What a run measured, stage by stage: its {@code metrics.json}, read back into this type by {@link
 * RunFolder#readMetrics()}. A stage not (yet) run is {@code null}.
 *
 * @param fp the full-precision model
 * @param ptq the model after PTQ
 * @param efqat the model after EfQAT
 */
public record RunMetrics(FpStage fp, PtqStage ptq, EfqatStage efqat) {
  /** No stage run yet. */
  public static final RunMetrics EMPTY = new RunMetrics(null, null, null);

  /**
   * Accuracy and loss on the test split.
   *
   * @param accuracy top-1 accuracy in [0, 1]
   * @param loss mean cross-entropy
   * @param samples test samples
   */
  public record Evaluation(double accuracy, double loss, int samples) {}

  /**
   * A training stage.
   *
   * @param steps steps taken
   * @param samples samples seen
   * @param losses the mean loss of every step
   * @param trainAccuracy batch accuracy over the last epoch's steps
   * @param selections how many times the unfrozen rows were (re)selected (0 for pretraining)
   * @param meanUnfrozenFraction the fraction of weight rows actually trained, averaged over steps
   *     (1 for pretraining)
   * @param selectionHistory every row selection
   * @param timings milliseconds of every step
   */
  public record Training(
      int steps,
      long samples,
      List<Double> losses,
      double trainAccuracy,
      int selections,
      double meanUnfrozenFraction,
      List<SelectionEvent> selectionHistory,
      StepTimings timings) {
    /** Copies the lists. */
    public Training {
      losses = List.copyOf(losses);
      selectionHistory = List.copyOf(selectionHistory);
    }

    /**
     * @param r a trainer's result
     * @return its metrics
     */
    public static Training of(EfqatTrainer.Result r) {
      return new Training(
          r.steps(),
          r.samples(),
          r.losses(),
          r.trainAccuracy(),
          r.selections(),
          r.meanUnfrozenFraction(),
          r.history(),
          r.times());
    }

    /**
     * @return the same without wall-clock times
     */
    public Training withoutTimings() {
      return new Training(
          steps,
          samples,
          losses,
          trainAccuracy,
          selections,
          meanUnfrozenFraction,
          selectionHistory,
          StepTimings.EMPTY);
    }
  }

  /**
   * The FP model.
   *
   * @param source {@code pretrained}, or the checkpoint it was loaded from
   * @param test its test accuracy
   * @param training the pretraining, or {@code null} when loaded
   */
  public record FpStage(String source, Evaluation test, Training training) {}

  /**
   * The PTQ model.
   *
   * @param calibration the calibration method
   * @param test its test accuracy
   * @param refinements the PTQ refinements applied after range calibration, in order (empty when
   *     none; also in a {@code metrics.json} written before refinements existed)
   * @param calibrationSeconds wall time of calibration and refinements, in seconds; {@code null}
   *     when not measured (a {@code metrics.json} written before it was, or {@link
   *     RunMetrics#withoutTimings()})
   */
  public record PtqStage(
      String calibration,
      Evaluation test,
      List<Refinement> refinements,
      Double calibrationSeconds) {
    /** Copies the list. */
    public PtqStage {
      refinements = refinements == null ? List.of() : List.copyOf(refinements);
    }

    /**
     * A PTQ stage without refinements and without a time.
     *
     * @param calibration the calibration method
     * @param test its test accuracy
     */
    public PtqStage(String calibration, Evaluation test) {
      this(calibration, test, List.of(), null);
    }

    /**
     * @return the same without wall-clock times
     */
    public PtqStage withoutTimings() {
      return new PtqStage(
          calibration, test, refinements.stream().map(Refinement::withoutTimings).toList(), null);
    }
  }

  /**
   * One PTQ refinement ({@code quantization.calibration.refine}) as applied.
   *
   * @param name the component's name, for example {@code adaround}
   * @param options its options, defaults spelled out
   * @param seconds its wall time, in seconds
   * @param layers what it did to each weight layer, in network order
   */
  public record Refinement(
      String name, Map<String, Object> options, double seconds, List<LayerReport> layers) {
    /** Copies the options and the list. */
    public Refinement {
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
      layers = List.copyOf(layers);
    }

    /**
     * @return the same with every time 0
     */
    public Refinement withoutTimings() {
      return new Refinement(
          name, options, 0, layers.stream().map(LayerReport::withoutTimings).toList());
    }
  }

  /**
   * The EfQAT model.
   *
   * @param policy the freeze policy's name
   * @param policyOptions its options, defaults spelled out
   * @param test its test accuracy
   * @param training the EfQAT training
   */
  public record EfqatStage(
      String policy, Map<String, Object> policyOptions, Evaluation test, Training training) {
    /** Copies the options. */
    public EfqatStage {
      policyOptions = Collections.unmodifiableMap(new LinkedHashMap<>(policyOptions));
    }
  }

  /**
   * @param fp the FP stage
   * @return these metrics with it
   */
  public RunMetrics withFp(FpStage fp) {
    return new RunMetrics(fp, ptq, efqat);
  }

  /**
   * @param ptq the PTQ stage
   * @return these metrics with it
   */
  public RunMetrics withPtq(PtqStage ptq) {
    return new RunMetrics(fp, ptq, efqat);
  }

  /**
   * @param efqat the EfQAT stage
   * @return these metrics with it
   */
  public RunMetrics withEfqat(EfqatStage efqat) {
    return new RunMetrics(fp, ptq, efqat);
  }

  /**
   * @param stage a stage
   * @return whether these metrics hold its results
   */
  public boolean has(Stage stage) {
    return switch (stage) {
      case PRETRAIN -> fp != null;
      case PTQ -> ptq != null;
      case EFQAT -> efqat != null;
    };
  }

  /**
   * @return the same metrics without wall-clock times: what two runs of the same experiment on the
   *     same backend must agree on bit for bit
   */
  public RunMetrics withoutTimings() {
    return new RunMetrics(
        fp == null
            ? null
            : new FpStage(
                fp.source(),
                fp.test(),
                fp.training() == null ? null : fp.training().withoutTimings()),
        ptq == null ? null : ptq.withoutTimings(),
        efqat == null
            ? null
            : new EfqatStage(
                efqat.policy(),
                efqat.policyOptions(),
                efqat.test(),
                efqat.training().withoutTimings()));
  }
}
