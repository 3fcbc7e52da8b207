package org.efqat.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.TensorOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A parameter resident on a backend: the heap and backend copies stay coherent both ways. */
class ParameterTest {
  private Backend backend;
  private TensorOps ops;

  @BeforeEach
  void open() {
    backend = TestBackends.nd4j();
    ops = backend.ops();
  }

  @AfterEach
  void close() {
    backend.close();
  }

  private static Parameter weight() {
    return new Parameter("fc.weight", ParamKind.WEIGHT, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
  }

  @Test
  void writesOnEitherSideAreSeenOnTheOther() {
    Parameter p = weight();
    p.makeResident(ops);
    assertThat(ops.toArray(p.valueTensor())).containsExactly(1, 2, 3, 4, 5, 6);
    ops.fill(p.valueTensor(), 7f);
    assertThat(p.value()).containsOnly(7f);
    p.value()[4] = -1f;
    assertThat(ops.toArray(p.valueTensor())).containsExactly(7, 7, 7, 7, -1, 7);
    ops.fill(p.gradTensor(), 0.5f);
    assertThat(p.grad()).containsOnly(0.5f);
    p.grad()[0] = 2f;
    assertThat(ops.toArray(p.gradTensor())).containsExactly(2, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f);
  }

  @Test
  void zeroGradClearsTheResidentGradientAndReleaseBringsTheValuesHome() {
    Parameter p = weight();
    p.makeResident(ops);
    ops.fill(p.gradTensor(), 3f);
    p.zeroGrad();
    assertThat(ops.toArray(p.gradTensor())).containsOnly(0f);
    assertThat(p.grad()).containsOnly(0f);
    ops.fill(p.valueTensor(), 9f);
    p.releaseResidence();
    assertThat(p.isResident()).isFalse();
    assertThat(p.value()).containsOnly(9f);
    assertThatThrownBy(p::valueTensor)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fc.weight is not resident on a backend");
  }

  @Test
  void staysOnTheBackendItWasMadeResidentOn() {
    Parameter p = weight();
    p.makeResident(ops);
    p.makeResident(ops);
    try (Backend other = TestBackends.nd4j()) {
      assertThatThrownBy(() -> p.makeResident(other.ops()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("fc.weight is resident on another backend");
    }
    Parameter scalar = new Parameter("s", ParamKind.ACTIVATION_STEP, new float[] {0.25f});
    scalar.makeResident(ops);
    assertThat(scalar.valueTensor().shape()).containsExactly(1);
    assertThat(ops.toArray(scalar.valueTensor())).containsExactly(0.25f);
  }
}
