package org.efqat.core.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.efqat.api.backend.Tensor;
import org.efqat.api.freeze.RowSelection;
import org.efqat.core.nn.Activation;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.SoftmaxCrossEntropy;
import org.efqat.core.profile.Kernel;
import org.efqat.core.profile.KernelProfile;
import org.efqat.core.profile.ProfilingBackend;

/**
 * The training loop of every stage. With a {@link RowSelector} it is EfQAT (DESIGN.md 1.2): the
 * unfrozen rows are selected before the first step and again whenever {@code interval} samples have
 * passed since the last selection; frozen rows get no weight gradient, no step gradient and no
 * optimizer update. Without one it is ordinary training of the given parameters.
 */
public final class EfqatTrainer {
  private final Network network;
  private final Optimizer optimizer;
  private final List<Parameter> trainable;
  private final RowSelector selector;
  private final long interval;
  private final TrainingListener listener;
  private final double maxLoss;

  /**
   * @param steps the steps taken
   * @param samples the samples seen
   * @param losses the mean loss of every step
   * @param trainAccuracy the batch accuracy over the last epoch's worth of steps
   * @param times milliseconds per step
   * @param selections how many times the rows were (re)selected
   * @param meanUnfrozenFraction the unfrozen fraction of weight rows averaged over steps (1 when
   *     there is no selector)
   * @param history every row selection
   */
  public record Result(
      int steps,
      long samples,
      List<Double> losses,
      double trainAccuracy,
      StepTimings times,
      int selections,
      double meanUnfrozenFraction,
      List<SelectionEvent> history) {}

  /**
   * @param network the network
   * @param optimizer the optimizer
   * @param trainable the parameters that train
   * @param selector the row selector for EfQAT, or {@code null}
   * @param interval re-select after this many samples ({@code f}); ignored without a selector
   * @param listener progress
   */
  public EfqatTrainer(
      Network network,
      Optimizer optimizer,
      List<Parameter> trainable,
      RowSelector selector,
      long interval,
      TrainingListener listener) {
    this(network, optimizer, trainable, selector, interval, listener, Double.POSITIVE_INFINITY);
  }

  /**
   * @param network the network
   * @param optimizer the optimizer
   * @param trainable the parameters that train
   * @param selector the row selector for EfQAT, or {@code null}
   * @param interval re-select after this many samples ({@code f}); ignored without a selector
   * @param listener progress
   * @param maxLoss a step whose loss is above this, or not finite, stops the stage with {@link
   *     TrainingDivergedException}; infinity checks only for NaN and infinity
   */
  public EfqatTrainer(
      Network network,
      Optimizer optimizer,
      List<Parameter> trainable,
      RowSelector selector,
      long interval,
      TrainingListener listener,
      double maxLoss) {
    this.maxLoss = maxLoss;
    this.network = Objects.requireNonNull(network, "network is null");
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer is null");
    this.trainable = List.copyOf(trainable);
    this.selector = selector;
    this.interval = interval;
    this.listener = listener == null ? TrainingListener.NONE : listener;
  }

  /**
   * The number of steps of a stage: {@code ⌈epochs · ⌈samples/batchSize⌉⌉}.
   *
   * @param data the batches
   * @param epochs the number of epochs; a fraction stops part-way through the last one
   * @param batchSize the batch size of the data
   * @return the step count
   */
  public static int stepsFor(Batches data, double epochs, int batchSize) {
    int perEpoch = (data.samplesPerEpoch() + batchSize - 1) / batchSize;
    return (int) Math.ceil(perEpoch * epochs - 1e-9);
  }

  /**
   * Trains from the start.
   *
   * @param data the batches
   * @param epochs epochs to train; fractions allowed
   * @param schedule the learning rate per step
   * @return what happened
   */
  public Result train(Batches data, double epochs, LearningRateSchedule schedule) {
    return train(data, epochs, schedule, null, StepHook.NONE);
  }

  /**
   * Trains, or continues a stage from a resume point. The network's parameters, the optimizer state
   * and the row selection must already be those of the resume point; the data order is replayed up
   * to it, so the continued stage takes exactly the steps an uninterrupted one would.
   *
   * @param data the batches, not yet started
   * @param epochs epochs the whole stage trains; fractions allowed
   * @param schedule the learning rate per step
   * @param resume where to continue, or {@code null} to start
   * @param hook called between steps (checkpoints, stop requests)
   * @return what happened in the whole stage, the steps before the resume included
   * @throws StageInterruptedException when the hook asked to stop (after its checkpoint)
   */
  public Result train(
      Batches data,
      double epochs,
      LearningRateSchedule schedule,
      TrainingProgress resume,
      StepHook hook) {
    FeatureShape in = network.inputShape();
    int batch = data.batchSize();
    float[] images = new float[batch * in.h() * in.w() * in.c()];
    int[] labels = new int[batch];
    float[] gradLogits = new float[batch * network.classes()];
    int totalSteps = stepsFor(data, epochs, batch);
    Loop s = resume == null ? new Loop() : new Loop(resume);
    if (resume == null) {
      data.startEpoch(0);
    } else {
      replay(data, resume.epoch(), resume.batchInEpoch(), images, labels);
    }
    Tensor grad = null;
    KernelProfile profile = ProfilingBackend.profileOf(network.backend()).orElse(null);
    // Parameters and optimizer state live on the backend for the stage (issue 13): a step moves
    // the batch, the logits and their gradient, and O(channels) quantizer and norm parameters.
    Collection<Parameter> parameters = network.parameters().values();
    parameters.forEach(p -> p.makeResident(network.backend().ops()));
    try {
      while (s.step < totalSteps) {
        int n = data.next(images, labels);
        if (n == 0) {
          data.startEpoch(++s.epoch);
          s.batchInEpoch = 0;
          s.recentCorrect = 0;
          s.recentSeen = 0;
          continue;
        }
        s.batchInEpoch++;
        if (selector != null && (s.selections == 0 || s.sinceSelection >= interval)) {
          RowSelection selection = selector.select();
          s.fraction = selection.unfrozenFraction();
          s.history.add(event(s, selection));
          s.selections++;
          s.sinceSelection = 0;
          listener.onSelection(s.step, s.fraction);
        }
        long t0 = System.nanoTime();
        network.zeroGrad();
        network.setTrainingStep(s.step);
        Activation logits = network.forward(images, n, true);
        float[] z = network.backend().ops().toArray(logits.tensor());
        double[] lossCorrect =
            SoftmaxCrossEntropy.lossAndGradient(z, labels, n, network.classes(), gradLogits);
        checkLoss(s.step + 1, lossCorrect[0]);
        long t1 = System.nanoTime();
        if (grad == null || grad.size() != (long) n * network.classes()) {
          if (grad != null) {
            grad.close();
          }
          grad = network.backend().ops().zeros(n, network.classes());
        }
        network
            .backend()
            .ops()
            .copyFrom(
                n == batch
                    ? gradLogits
                    : java.util.Arrays.copyOf(gradLogits, n * network.classes()),
                grad);
        long sparseBefore = profile == null ? 0 : weightGradientNanos(profile);
        network.backward(new Activation(grad, logits.shape()));
        long t2 = System.nanoTime();
        optimizer.step(trainable, schedule.at(s.step));
        double seconds = (System.nanoTime() - t0) / 1e9;
        s.times.add(
            (t1 - t0) / 1e6,
            (t2 - t1) / 1e6,
            profile == null ? Double.NaN : (weightGradientNanos(profile) - sparseBefore) / 1e6,
            seconds * 1e3);
        s.losses.add(lossCorrect[0]);
        s.recentCorrect += (long) lossCorrect[1];
        s.recentSeen += n;
        s.samples += n;
        s.sinceSelection += n;
        s.fractionSum += s.fraction;
        listener.onStep(s.step, totalSteps, lossCorrect[0], lossCorrect[1] / n, n / seconds);
        s.step++;
        boolean stop = hook.stopRequested();
        if (stop || (s.step < totalSteps && hook.checkpointDue(s.step))) {
          hook.checkpoint(s.snapshot());
        }
        if (stop) {
          throw new StageInterruptedException(s.step);
        }
      }
    } finally {
      if (grad != null) {
        grad.close();
      }
      optimizer.release();
      parameters.forEach(Parameter::releaseResidence);
    }
    return new Result(
        s.step,
        s.samples,
        List.copyOf(s.losses),
        s.recentSeen == 0 ? 0 : (double) s.recentCorrect / s.recentSeen,
        s.times.snapshot(),
        s.selections,
        s.step == 0 ? 0 : s.fractionSum / s.step,
        List.copyOf(s.history));
  }

  /** Stops the stage when the loss is not finite or above the bound, naming what went wrong. */
  private void checkLoss(int step, double loss) {
    if (loss <= maxLoss) {
      return;
    }
    String where =
        NonFiniteValues.first(network, true)
            .map(v -> "; first non-finite value: " + v)
            .orElse(
                Double.isFinite(loss)
                    ? ""
                    : "; every parameter and gradient is finite, so the forward pass overflowed");
    throw new TrainingDivergedException(
        step,
        Double.isFinite(loss)
            ? "loss " + loss + " exceeds divergence.maxLoss " + maxLoss + where
            : "loss " + loss + where);
  }

  /** Replays the data order (shuffles and augmentation draws) up to a resume point. */
  private static void replay(
      Batches data, int epoch, int batchInEpoch, float[] images, int[] labels) {
    for (int e = 0; e <= epoch; e++) {
      data.startEpoch(e);
      int limit = e < epoch ? Integer.MAX_VALUE : batchInEpoch;
      for (int b = 0; b < limit; b++) {
        if (data.skip(images, labels) == 0) {
          if (e == epoch) {
            throw new IllegalStateException(
                "cannot resume: epoch "
                    + epoch
                    + " has fewer than "
                    + batchInEpoch
                    + " batches (did the data change?)");
          }
          break;
        }
      }
    }
  }

  private SelectionEvent event(Loop s, RowSelection selection) {
    Map<String, Integer> rows = new LinkedHashMap<>();
    for (String layer : selection.layers()) {
      rows.put(layer, selection.unfrozenCount(layer));
    }
    return new SelectionEvent(s.step, s.samples, selection.unfrozenFraction(), rows);
  }

  /** The training loop's variables. */
  private static final class Loop {
    int step;
    int epoch;
    int batchInEpoch;
    long samples;
    long sinceSelection;
    int selections;
    double fraction = 1.0;
    double fractionSum;
    long recentCorrect;
    long recentSeen;
    final List<Double> losses = new ArrayList<>();
    final List<SelectionEvent> history = new ArrayList<>();
    final StepTimes times;

    Loop() {
      times = new StepTimes();
    }

    Loop(TrainingProgress p) {
      step = p.step();
      epoch = p.epoch();
      batchInEpoch = p.batchInEpoch();
      samples = p.samples();
      sinceSelection = p.sinceSelection();
      selections = p.selections();
      fraction = p.fraction();
      fractionSum = p.fractionSum();
      recentCorrect = p.recentCorrect();
      recentSeen = p.recentSeen();
      losses.addAll(p.losses());
      history.addAll(p.history());
      times = new StepTimes(p.timings());
    }

    TrainingProgress snapshot() {
      return new TrainingProgress(
          step,
          epoch,
          batchInEpoch,
          samples,
          sinceSelection,
          selections,
          fraction,
          fractionSum,
          recentCorrect,
          recentSeen,
          losses,
          history,
          times.snapshot());
    }
  }

  /**
   * @return time so far in the sparse-row weight-gradient kernels (GEMM and convolution)
   */
  private static long weightGradientNanos(KernelProfile profile) {
    return profile.nanos(Kernel.SPARSE_ROW_WEIGHT_GRADIENT)
        + profile.nanos(Kernel.CONV2D_BACKWARD_WEIGHT_ROWS);
  }
}
