package org.efqat.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.quant.QuantParams;
import org.efqat.api.quant.Quantizer;
import org.efqat.testkit.QuantizerContractTest;
import org.junit.jupiter.api.Test;

class FixedSteQuantizerTest extends QuantizerContractTest {
  @Override
  protected Quantizer createQuantizer() {
    return new FixedSteQuantizer(8, true);
  }

  @Test
  void parametersNeverGetAGradient() {
    Quantizer q = new FixedSteQuantizer(4, false);
    QuantParams p = q.initialize(new float[] {-1f}, new float[] {1f});
    QuantParams gp = QuantParams.ofGroups(1);
    gp.step()[0] = 42f;
    q.backward(new float[] {0.3f, 5f}, new float[] {1f, 1f}, p, new float[2], gp);
    assertThat(gp.step()).containsExactly(0f);
    assertThat(gp.zeroPoint()).containsExactly(0f);
  }

  @Test
  void configDefaultsAndBitRange() {
    assertThat(new FixedSteConfig(null, null)).isEqualTo(new FixedSteConfig(8, true));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FixedSteConfig(9, null))
        .hasMessage("bits must be in [2, 8] (was 9)");
  }
}
