package org.efqat.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.efqat.api.backend.Tensor;
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
 * unfrozen rows are selected before the first step and again whenever {@code interval} samples
 * have passed since the last selection; frozen rows get no weight gradient, no step gradient and
 * no optimizer update. Without one it is ordinary training of the given parameters.
 */
public final class EfqatTrainer {
  private final Network network;
  private final Optimizer optimizer;
  private final List<Parameter> trainable;
  private final RowSelector selector;
  private final long interval;
  private final TrainingListener listener;

  /**
   * @param steps the steps taken
   * @param samples the samples seen
   * @param losses the mean loss of every step
   * @param trainAccuracy the batch accuracy over the last epoch's worth of steps
   * @param times forward and backward milliseconds per step
   * @param selections how many times the rows were (re)selected
   * @param meanUnfrozenFraction the unfrozen fraction of weight rows averaged over steps (1 when
   *     there is no selector)
   */
  public record Result(int steps, long samples, List<Double> losses, double trainAccuracy,
      StepTimes times, int selections, double meanUnfrozenFraction) {}

  /**
   * @param network the network
   * @param optimizer the optimizer
   * @param trainable the parameters that train
   * @param selector the row selector for EfQAT, or {@code null}
   * @param interval re-select after this many samples ({@code f}); ignored without a selector
   * @param listener progress
   */
  public EfqatTrainer(Network network, Optimizer optimizer, List<Parameter> trainable,
      RowSelector selector, long interval, TrainingListener listener) {
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
   * Trains.
   *
   * @param data the batches
   * @param epochs epochs to train; fractions allowed
   * @param schedule the learning rate per step
   * @return what happened
   */
  public Result train(Batches data, double epochs, LearningRateSchedule schedule) {
    FeatureShape in = network.inputShape();
    int batch = data.batchSize();
    float[] images = new float[batch * in.h() * in.w() * in.c()];
    int[] labels = new int[batch];
    float[] gradLogits = new float[batch * network.classes()];
    int totalSteps = stepsFor(data, epochs, batch);
    StepTimes times = new StepTimes();
    List<Double> losses = new ArrayList<>();
    long samples = 0;
    long sinceSelection = 0;
    int selections = 0;
    double fractionSum = 0;
    double fraction = 1.0;
    long recentCorrect = 0;
    long recentSeen = 0;
    int step = 0;
    int epoch = 0;
    data.startEpoch(epoch);
    Tensor grad = null;
    KernelProfile profile = ProfilingBackend.profileOf(network.backend()).orElse(null);
    while (step < totalSteps) {
      int n = data.next(images, labels);
      if (n == 0) {
        data.startEpoch(++epoch);
        recentCorrect = 0;
        recentSeen = 0;
        continue;
      }
      if (selector != null && (selections == 0 || sinceSelection >= interval)) {
        fraction = selector.select().unfrozenFraction();
        selections++;
        sinceSelection = 0;
        listener.onSelection(step, fraction);
      }
      long t0 = System.nanoTime();
      network.zeroGrad();
      Activation logits = network.forward(images, n, true);
      float[] z = network.backend().ops().toArray(logits.tensor());
      double[] lossCorrect = SoftmaxCrossEntropy.lossAndGradient(z, labels, n, network.classes(),
          gradLogits);
      long t1 = System.nanoTime();
      if (grad == null || grad.size() != (long) n * network.classes()) {
        if (grad != null) {
          grad.close();
        }
        grad = network.backend().ops().zeros(n, network.classes());
      }
      network.backend().ops().copyFrom(n == batch ? gradLogits
          : java.util.Arrays.copyOf(gradLogits, n * network.classes()), grad);
      long sparseBefore = profile == null ? 0 : weightGradientNanos(profile);
      network.backward(new Activation(grad, logits.shape()));
      long t2 = System.nanoTime();
      optimizer.step(trainable, schedule.at(step));
      double seconds = (System.nanoTime() - t0) / 1e9;
      times.add((t1 - t0) / 1e6, (t2 - t1) / 1e6, profile == null ? Double.NaN
          : (weightGradientNanos(profile) - sparseBefore) / 1e6,
          seconds * 1e3);
      losses.add(lossCorrect[0]);
      recentCorrect += (long) lossCorrect[1];
      recentSeen += n;
      samples += n;
      sinceSelection += n;
      fractionSum += fraction;
      listener.onStep(step, totalSteps, lossCorrect[0], lossCorrect[1] / n, n / seconds);
      step++;
    }
    if (grad != null) {
      grad.close();
    }
    return new Result(step, samples, losses,
        recentSeen == 0 ? 0 : (double) recentCorrect / recentSeen, times, selections,
        step == 0 ? 0 : fractionSum / step);
  }

  /** @return time so far in the sparse-row weight-gradient kernels (GEMM and convolution) */
  private static long weightGradientNanos(KernelProfile profile) {
    return profile.nanos(Kernel.SPARSE_ROW_WEIGHT_GRADIENT)
        + profile.nanos(Kernel.CONV2D_BACKWARD_WEIGHT_ROWS);
  }
}
