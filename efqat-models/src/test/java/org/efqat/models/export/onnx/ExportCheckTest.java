package org.efqat.models.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExportCheckTest {
  private static ExportCheck check(double net, double onnx, double max, double mean, double logit) {
    return new ExportCheck(1000, net, onnx, max, mean, logit, 0, "test");
  }

  @Test
  void passesWithinEveryLimit() {
    assertThat(check(0.823, 0.823, 0.5, 0.001, 4).failures(ExportTolerance.DEFAULT)).isEmpty();
    // L = max(1, max |logit|): small logits are compared with 1
    assertThat(check(0.5, 0.5, 0.2, 1e-4, 0.1).failures(ExportTolerance.DEFAULT)).isEmpty();
    // 10 of 10000 samples: 0.1 point exactly, although 0.8745 − 0.8735 is not 0.001 in binary
    assertThat(check(0.8735, 0.8745, 0, 0, 1).failures(ExportTolerance.DEFAULT)).isEmpty();
  }

  @Test
  void namesEachLimitExceeded() {
    assertThat(check(0.823, 0.821, 2.5, 0.03, 4).failures(ExportTolerance.DEFAULT))
        .containsExactly(
            "accuracy differs by 0.20 points (ONNX Runtime 82.10%, EfQAT-Java 82.30%; at most"
                + " 0.10 allowed)",
            "logits differ by 0.03 on average (at most 0.02 allowed: 0.005·L, L = 4)",
            "logits differ by up to 2.5 (at most 2 allowed: 0.5·L, L = 4)");
  }

  @Test
  void aNanDifferenceFails() {
    assertThat(check(0.5, 0.5, Double.NaN, Double.NaN, 2).failures(ExportTolerance.DEFAULT))
        .hasSize(2);
  }

  @Test
  void negativeTolerancesAreRefused() {
    assertThatThrownBy(() -> new ExportTolerance(-1, 0.25, 0.1))
        .hasMessage("tolerances must be >= 0 (were mean -1.0, max 0.25, accuracy 0.1)");
  }
}
