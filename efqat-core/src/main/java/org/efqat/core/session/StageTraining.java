package org.efqat.core.session;

import java.util.List;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.train.Batches;
import org.efqat.core.train.EfqatTrainer;
import org.efqat.core.train.LearningRateSchedule;
import org.efqat.core.train.Optimizer;
import org.efqat.core.train.RowSelector;
import org.efqat.core.train.TrainingListener;

/**
 * Everything one training stage trains with, built by {@link ExperimentSession} from the
 * experiment's components.
 *
 * @param network the network
 * @param optimizer a fresh optimizer
 * @param trainable the parameters that train
 * @param selector the row selector (EfQAT), or {@code null} (pretraining)
 * @param interval re-select every this many samples ({@code f})
 * @param batches the stage's training batches
 * @param epochs the stage's epochs
 * @param schedule the learning rate per step over the whole stage
 * @param maxLoss a step loss above this stops the stage ({@code divergence.maxLoss})
 */
public record StageTraining(
    Network network,
    Optimizer optimizer,
    List<Parameter> trainable,
    RowSelector selector,
    long interval,
    Batches batches,
    double epochs,
    LearningRateSchedule schedule,
    double maxLoss) {
  /**
   * @param listener progress
   * @return a trainer for the stage
   */
  public EfqatTrainer trainer(TrainingListener listener) {
    return new EfqatTrainer(network, optimizer, trainable, selector, interval, listener, maxLoss);
  }
}
