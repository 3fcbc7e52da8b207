package org.efqat.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.Network;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.StageTraining;
import org.efqat.core.train.TrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Native memory stays owned over a long run: 1,000 EfQAT steps of a quantized CNN (fake
 * quantization, sparse weight gradients, row re-selection every 4 steps) on each backend, with the
 * process's resident set size sampled after steps 200 and 1,000. The Java heap's committed size is
 * subtracted: the garbage collector grows it within {@code -Xmx} as it sees fit (ND4J's per-step
 * garbage makes it grow for a while), whereas native memory a backend fails to free would show in
 * the rest.
 */
class LongRunMemoryTest {
  private static final int STEPS = 1000;
  private static final long MARGIN_MIB = 64;

  private static final String EXPERIMENT =
      """
      version: 1
      name: memory
      seed: 11
      backend: %s
      model: {architecture: {type: cnn, width: 8}}
      data: {dataset: fashion-mnist-sample, batchSize: 32, trainSamples: 1024, testSamples: 32}
      quantization:
        weights: {type: lsq, bits: 4}
        activations: {type: lsq-plus, bits: 4}
      efqat:
        freeze: {type: cwpn, p: 0.25}
        interval: 128
        epochs: %s
      optimizer: {type: sgd, lr: 0.01}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"nd4j", "tf"})
  void residentMemoryStaysFlatOverAThousandSteps(String backend) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    double epochs = STEPS / 32.0; // 1024 samples in batches of 32
    ResolvedExperiment experiment =
        new ExperimentLoader(registry).parse(EXPERIMENT.formatted(backend, epochs), "memory.yaml");
    long[] rss = new long[2];
    long[] heap = new long[2];
    try (ExperimentSession session =
        Sessions.open(registry, experiment, SessionOptions.DEFAULT, SessionListener.NONE)) {
      Network net = session.newNetwork();
      try {
        session.calibrate(net);
        StageTraining t = session.efqatTraining(net, experiment);
        var result =
            t.trainer(
                    new TrainingListener() {
                      @Override
                      public void onStep(
                          int step, int total, double loss, double acc, double perSecond) {
                        int at = step == 199 ? 0 : step == STEPS - 1 ? 1 : -1;
                        if (at >= 0) {
                          rss[at] = residentMib();
                          heap[at] = Runtime.getRuntime().totalMemory() >> 20;
                        }
                      }
                    })
                .train(t.batches(), t.epochs(), t.schedule());
        assertThat(result.steps()).isEqualTo(STEPS);
      } finally {
        net.release();
      }
    }
    System.out.printf(
        "%s: RSS %d MiB (Java heap %d) after step 200, %d MiB (heap %d) after step" + " %d%n",
        backend, rss[0], heap[0], rss[1], heap[1], STEPS);
    long nativeGrowth = (rss[1] - heap[1]) - (rss[0] - heap[0]);
    assertThat(nativeGrowth)
        .as("growth of %s's RSS outside the Java heap from step 200 to %d (MiB)", backend, STEPS)
        .isLessThan(MARGIN_MIB);
  }

  private static long residentMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status", e);
    }
    throw new IllegalStateException("/proc/self/status has no VmRSS line");
  }
}
