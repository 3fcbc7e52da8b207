package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.backend.Backend;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.api.Test;

/** FP training, PTQ and EfQAT on the toy task behave as a user expects. */
class TrainingConvergesTest {
  private static final Schedule COSINE = new ScheduleProviders.Cosine().create(null, null);

  @Test
  void fpTrainingLearnsTheToyTaskAndQuantizedTrainingKeepsIt() {
    try (Backend backend = TestBackends.nd4j()) {
      Network net = TinyNets.cnn(backend, 9);
      InMemoryBatches train = TinyNets.data(10, 96, 16);
      InMemoryBatches test = TinyNets.data(11, 60, 20);
      double before = Evaluator.evaluate(net, test).accuracy();
      EfqatTrainer fp =
          new EfqatTrainer(
              net,
              new Sgd(0.9, false, 0.0),
              TrainableParameters.forPretraining(net),
              null,
              0,
              null);
      EfqatTrainer.Result r = fp.train(train, 8, LearningRateSchedule.of(0.05, 0, COSINE, 48));
      assertThat(r.steps()).isEqualTo(48);
      assertThat(r.losses().get(47)).isLessThan(r.losses().get(0));
      double after = Evaluator.evaluate(net, test).accuracy();
      assertThat(after).isGreaterThan(0.9).isGreaterThan(before);
      TinyNets.quantize(net, train);
      assertThat(Evaluator.evaluate(net, test).accuracy()).isGreaterThan(0.8);
    }
  }

  @Test
  void adamwAndTheSchedulesRun() {
    Schedule step = new ScheduleProviders.Step().create(new StepScheduleConfig(null, null), null);
    LearningRateSchedule s = LearningRateSchedule.of(0.01, 2, step, 10);
    assertThat(s.at(0)).isLessThan(s.at(2)); // warm-up
    assertThat(s.at(9)).isLessThan(s.at(3)); // decayed
    LearningRateSchedule c = LearningRateSchedule.of(0.1, 0, COSINE, 100);
    assertThat(c.at(0)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.at(50)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(2e-3));
    try (Backend backend = TestBackends.nd4j()) {
      Network net = TinyNets.cnn(backend, 3);
      EfqatTrainer t =
          new EfqatTrainer(
              net,
              new AdamW(0.9, 0.999, 0.01),
              TrainableParameters.forPretraining(net),
              null,
              0,
              null);
      var r = t.train(TinyNets.data(4, 64, 16), 3, LearningRateSchedule.of(0.01, 2, step, 12));
      assertThat(r.losses().get(r.losses().size() - 1)).isLessThan(r.losses().get(0));
    }
  }
}
