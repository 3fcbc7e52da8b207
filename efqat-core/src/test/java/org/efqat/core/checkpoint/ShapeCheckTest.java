package org.efqat.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeCheckTest {
  private static NamedTensor t(String name, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    return new NamedTensor(name, shape, new float[n]);
  }

  private static Map<String, NamedTensor> loaded(NamedTensor... tensors) {
    Map<String, NamedTensor> m = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      m.put(t.name(), t);
    }
    return m;
  }

  @Test
  void matchingTensorsPass() {
    Map<String, long[]> expected = new LinkedHashMap<>();
    expected.put("fc.weight", new long[] {10, 64});
    expected.put("fc.bias", new long[] {10});
    assertThatCode(
            () -> ShapeCheck.expect(loaded(t("fc.bias", 10), t("fc.weight", 10, 64)), expected))
        .doesNotThrowAnyException();
  }

  @Test
  void listsWrongShapesMissingAndUnexpectedTensors() {
    Map<String, long[]> expected = new LinkedHashMap<>();
    expected.put("fc.weight", new long[] {10, 64});
    expected.put("layers.3.short.0.weight", new long[] {32, 16, 1, 1});
    expected.put("fc.bias", new long[] {10});
    Map<String, NamedTensor> tensors =
        loaded(t("fc.weight", 10, 32), t("fc.bias", 10), t("head.weight", 2, 3));

    assertThatThrownBy(() -> ShapeCheck.expect(tensors, expected))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            "checkpoint does not match the model (3 problems): fc.weight: shape [10, 32] expected"
                + " [10, 64]; missing tensor layers.3.short.0.weight; unexpected tensor"
                + " head.weight [2, 3]");
  }

  @Test
  void extraTensorsCanBeIgnoredExplicitly() {
    Map<String, long[]> expected = Map.of("bn.weight", new long[] {16});
    Map<String, NamedTensor> tensors =
        loaded(t("bn.weight", 16), t("bn.num_batches_tracked"), t("other"));

    assertThatThrownBy(() -> ShapeCheck.expect(tensors, expected))
        .hasMessage(
            "checkpoint does not match the model (2 problems): unexpected tensor"
                + " bn.num_batches_tracked []; unexpected tensor other []");
    assertThatThrownBy(() -> ShapeCheck.expect(tensors, expected, ShapeCheck::isNumBatchesTracked))
        .hasMessage("checkpoint does not match the model (1 problem): unexpected tensor other []");
    assertThatCode(() -> ShapeCheck.expect(tensors, expected, n -> !n.equals("bn.weight")))
        .doesNotThrowAnyException();
    assertThat(ShapeCheck.isNumBatchesTracked("layers.0.b1.num_batches_tracked")).isTrue();
    assertThat(ShapeCheck.isNumBatchesTracked("layers.0.b1.running_mean")).isFalse();
  }

  @Test
  void longListsAreCut() {
    Map<String, long[]> expected = new LinkedHashMap<>();
    for (int i = 0; i < 25; i++) {
      expected.put("w" + i, new long[] {1});
    }
    assertThat(ShapeCheck.problems(Map.of(), expected, n -> false)).hasSize(25);
    assertThatThrownBy(() -> ShapeCheck.expect(Map.of(), expected))
        .hasMessageStartingWith(
            "checkpoint does not match the model (25 problems): missing tensor w0; missing tensor w1;")
        .hasMessageEndingWith("missing tensor w19; and 5 more");
  }
}
