package org.efqat.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.backend.Backend;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.api.Test;

/** Non-finite values are found on the backend while parameters are resident, and on the heap. */
class NonFiniteValuesTest {
  @Test
  void findsANaNInAResidentWeightAndAnInfinityInAHeapGradient() {
    try (Backend backend = TestBackends.nd4j()) {
      Network net = TinyNets.cnn(backend, 3);
      Parameter c2 = net.parameters().get("c2.weight");
      assertThat(NonFiniteValues.first(net, true)).isEmpty();

      net.parameters().values().forEach(p -> p.makeResident(backend.ops()));
      assertThat(NonFiniteValues.first(net, true)).isEmpty(); // uploads each parameter once
      long copies = totalCopies(net);
      assertThat(NonFiniteValues.first(net, true)).isEmpty();
      assertThat(totalCopies(net)).as("a clean scan copies nothing to the heap").isEqualTo(copies);
      float[] w = c2.value().clone();
      w[7] = Float.NaN;
      backend.ops().copyFrom(w, c2.valueTensor());
      assertThat(NonFiniteValues.first(net, true)).contains("c2.weight[7] = NaN");
      net.parameters().values().forEach(Parameter::releaseResidence);

      c2.value()[7] = 0f;
      net.parameters().get("fc.weight").grad()[2] = Float.POSITIVE_INFINITY;
      assertThat(NonFiniteValues.first(net, false)).isEmpty();
      assertThat(NonFiniteValues.first(net, true))
          .contains("the gradient of fc.weight[2] = Infinity");
    }
  }

  private static long totalCopies(Network net) {
    return net.parameters().values().stream().mapToLong(Parameter::copies).sum();
  }
}
