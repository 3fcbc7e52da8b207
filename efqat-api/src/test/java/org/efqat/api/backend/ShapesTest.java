package org.efqat.api.backend;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapesTest {
  @Test
  void gemmShapesAreCheckedWithTransposes() {
    assertThatCode(
            () ->
                Shapes.checkGemm(
                    new long[] {3, 2}, true, new long[] {5, 3}, true, new long[] {2, 5}))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                Shapes.checkGemm(
                    new long[] {3, 2}, false, new long[] {3, 5}, false, new long[] {3, 5}))
        .hasMessage(
            "gemm shapes do not fit: a [3, 2] · b [3, 5] -> c [3, 5]; expected c [3, 5]"
                + " and matching inner dimensions");
  }

  @Test
  void sparseRowsMustFitAndIncrease() {
    long[] dy = {8, 4};
    long[] x = {8, 3};
    long[] dw = {4, 3};
    assertThatCode(() -> Shapes.checkSparseRows(dy, x, new int[] {0, 3}, dw))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Shapes.checkSparseRows(dy, x, new int[] {3, 3}, dw))
        .hasMessage("rows must be strictly increasing (3 then 3)");
    assertThatThrownBy(() -> Shapes.checkSparseRows(dy, x, new int[] {-1}, dw))
        .hasMessage("row -1 outside [0, 4)");
    assertThatThrownBy(() -> Shapes.checkSparseRows(dy, new long[] {7, 3}, new int[] {0}, dw))
        .hasMessageContaining("dY [8, 4], X [7, 3], dW [4, 3]");
  }

  @Test
  void dataMustMatchTheShape() {
    assertThatThrownBy(() -> Shapes.checkData(5, 2, 3))
        .hasMessage("shape [2, 3] needs 6 values but 5 were given");
    assertThatThrownBy(() -> Shapes.checkData(0, -1, 0))
        .hasMessage("negative dimension in shape [-1, 0]");
  }

  @Test
  void batchedGemmShapesAreCheckedPerBatch() {
    assertThatCode(
            () ->
                Shapes.checkBatchedGemm(
                    new long[] {2, 3, 4}, true, new long[] {2, 5, 3}, true, new long[] {2, 4, 5}))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                Shapes.checkBatchedGemm(
                    new long[] {2, 3, 4}, false, new long[] {3, 4, 5}, false, new long[] {2, 3, 5}))
        .hasMessage(
            "batchedGemm shapes do not fit: a [2, 3, 4] · b [3, 4, 5] -> c [2, 3, 5]; expected c"
                + " [2, 3, 5], the same batch size and matching inner dimensions");
  }

  @Test
  void transformerShapesNameWhatTheyExpected() {
    assertThatThrownBy(
            () -> Shapes.checkSwapMiddleAxes(new long[] {2, 3, 4, 5}, new long[] {2, 3, 4, 5}))
        .hasMessage(
            "swapMiddleAxes shapes do not fit: x [2, 3, 4, 5] -> out [2, 3, 4, 5]; expected out"
                + " [2, 4, 3, 5]");
    assertThatThrownBy(
            () ->
                Shapes.checkRows(
                    "gatherRows", new long[] {4, 3}, new int[] {0, 4}, new long[] {2, 3}))
        .hasMessage("gatherRows: index 4 (position 1) outside [0, 4) for table [4, 3]");
    assertThatThrownBy(
            () -> Shapes.checkNormalizeRows(new long[] {5, 7}, new long[] {5, 7}, new long[] {4}))
        .hasMessage(
            "normalizeRows shapes do not fit: x [5, 7], out [5, 7], invStd [4]; expected every"
                + " tensor of shape [5, 7] and invStd [5]");
    assertThatCode(
            () ->
                Shapes.checkMaskedSoftmax(
                    new long[] {2, 3, 5, 7}, new long[] {2, 7}, new long[] {2, 3, 5, 7}))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Shapes.checkSameSize("multiply", new long[] {2, 3}, new long[] {7}))
        .hasMessage("multiply: sizes differ: [2, 3], [7]; expected the same number of elements");
  }
}
