package org.efqat.core.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.efqat.api.backend.Backend;
import org.efqat.api.importance.LayerImportance;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.GlobalAvgPool;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.TestBackends;
import org.efqat.core.session.RunFolder;
import org.junit.jupiter.api.Test;

/** Row importance of a tiny network with hand-made weights. */
class RowImportanceTest {
  /** Conv row r holds ±(r+1) (mean |w| = r+1), Linear rows mean |w| = 2, 3, 1, 200. */
  private static Network tiny(Backend backend) {
    float[] conv = new float[8 * 9];
    for (int r = 0; r < 8; r++) {
      for (int j = 0; j < 9; j++) {
        conv[r * 9 + j] = (j % 2 == 0 ? 1 : -1) * (r + 1f);
      }
    }
    float[] rowMeans = {2, 3, 1, 200};
    float[] fc = new float[4 * 8];
    for (int r = 0; r < 4; r++) {
      for (int j = 0; j < 8; j++) {
        // half the row at 0.5·m, half at -1.5·m: mean |w| = m
        fc[r * 8 + j] = j < 4 ? 0.5f * rowMeans[r] : -1.5f * rowMeans[r];
      }
    }
    return new Network(
        "tiny",
        backend,
        new Sequential(
            "tiny",
            List.of(
                new Conv2d(backend, "c1", 1, 8, 3, 1, 1, false, conv),
                new ReLU(backend, "r1"),
                new GlobalAvgPool(backend, "pool"),
                new Linear(backend, "fc", 8, 4, fc))),
        new FeatureShape(1, 4, 4, 1),
        4);
  }

  @Test
  void scoresEveryRowOfEveryWeightLayerAndFindsTheOutlier() {
    Network net = tiny(TestBackends.nd4j());
    try {
      RowImportance imp = RowImportance.of(net, new MeanAbsImportanceMetric(), "mean-abs");
      assertThat(imp.metric()).isEqualTo("mean-abs");
      assertThat(imp.layers())
          .extracting(RowImportance.LayerRows::layer)
          .containsExactly("c1", "fc");
      assertThat(imp.layers().get(0).scores())
          .containsExactly(
              new double[] {1, 2, 3, 4, 5, 6, 7, 8}, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(imp.layers().get(1).scores())
          .containsExactly(new double[] {2, 3, 1, 200}, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(imp.layers().get(1).firstIndex()).isEqualTo(8);
      assertThat(imp.totalRows()).isEqualTo(12);

      double[] all = {1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 1, 200};
      double mean = java.util.Arrays.stream(all).average().orElseThrow();
      double var = java.util.Arrays.stream(all).map(s -> (s - mean) * (s - mean)).sum() / 12;
      assertThat(imp.mean()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(imp.std()).isCloseTo(Math.sqrt(var), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(imp.max()).isCloseTo(200, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(imp.outlierThreshold())
          .isCloseTo(mean + 3 * Math.sqrt(var), org.assertj.core.data.Offset.offset(1e-3));
      assertThat(imp.outliers()).hasSize(1);
      RowImportance.Outlier o = imp.outliers().get(0);
      assertThat(o.layer()).isEqualTo("fc");
      assertThat(o.row()).isEqualTo(3);
      assertThat(o.index()).isEqualTo(11);
      assertThat(imp.layers().get(0).outliers()).isZero();
      assertThat(imp.layers().get(1).outliers()).isEqualTo(1);
      assertThat(imp.layers().get(0).mean())
          .isCloseTo(4.5, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(imp.layers().get(0).max()).isCloseTo(8, org.assertj.core.data.Offset.offset(1e-6));

      List<String> csv = imp.toCsv().lines().toList();
      assertThat(csv).hasSize(13);
      assertThat(csv.get(0)).isEqualTo("layer,row,index,importance,outlier");
      assertThat(csv.get(1)).isEqualTo("c1,0,0,1.00000000,0");
      assertThat(csv.get(12)).startsWith("fc,3,11,200.000").endsWith(",1");
    } finally {
      net.release();
    }
  }

  @Test
  void outliersAreSortedAndTheSigmasAreChecked() {
    List<LayerImportance> scores =
        List.of(
            new LayerImportance("a", new double[] {0, 0, 0, 0, 0, 0, 10}),
            new LayerImportance("b", new double[] {0, 0, 0, 0, 0, 0, 0, 20}));
    RowImportance imp = RowImportance.of(scores, "m", 1.0);
    assertThat(imp.outliers())
        .extracting(RowImportance.Outlier::index)
        .containsExactly(14, 6); // by decreasing importance
    assertThat(RowImportance.of(scores, "m", 100).outliers()).isEmpty();
    assertThatThrownBy(() -> RowImportance.of(scores, "m", -1))
        .hasMessage("sigmas must be >= 0 (was -1.0)");
  }

  @Test
  void readsBackFromJson() throws Exception {
    RowImportance imp =
        RowImportance.of(
            List.of(new LayerImportance("a", new double[] {1, 2, 3})), "mean-abs", 3.0);
    String json = RunFolder.json().writeValueAsString(imp);
    assertThat(RunFolder.json().readValue(json, RowImportance.class)).isEqualTo(imp);
  }
}
