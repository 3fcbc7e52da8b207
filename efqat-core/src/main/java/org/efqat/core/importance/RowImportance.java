package org.efqat.core.importance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.importance.WeightRows;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;

/**
 * The importance of every row of every weight layer of a network, in network order, with the
 * network-wide outliers (EfQAT Figure 3, DESIGN.md 1.2). A row is an output channel of a Conv2d or
 * an output feature of a Linear layer (for a Transformer: one row of Q, K, V, the attention output
 * or an FFN matrix), so the same code covers any model built of {@link WeightLayer}s.
 *
 * <p>A row is an <em>outlier</em> when its importance exceeds {@code mean + sigmas·std} of all rows
 * of the network (population standard deviation); {@link #DEFAULT_OUTLIER_SIGMAS} is 3.
 *
 * @param metric the importance metric's name, for example {@code mean-abs}
 * @param layers every weight layer's rows, in network order
 * @param mean the mean importance over all rows of the network
 * @param std the population standard deviation over all rows
 * @param max the largest importance
 * @param outlierThreshold {@code mean + sigmas·std}
 * @param outliers the rows above the threshold, by decreasing importance
 */
public record RowImportance(
    String metric,
    List<LayerRows> layers,
    double mean,
    double std,
    double max,
    double outlierThreshold,
    List<Outlier> outliers) {

  /** Outliers lie more than this many standard deviations above the network mean. */
  public static final double DEFAULT_OUTLIER_SIGMAS = 3.0;

  /** Copies the lists. */
  public RowImportance {
    Objects.requireNonNull(metric, "metric is null");
    layers = List.copyOf(layers);
    outliers = List.copyOf(outliers);
  }

  /**
   * The rows of one weight layer.
   *
   * @param layer the layer's name, for example {@code layer1.0.conv1}
   * @param firstIndex the network-wide index of its row 0 (rows of earlier layers before it)
   * @param scores one importance per row, shape {@code [C_out]}
   * @param mean the layer's mean importance
   * @param max the layer's largest importance
   * @param outliers how many of its rows are network-wide outliers
   */
  public record LayerRows(
      String layer, int firstIndex, double[] scores, double mean, double max, int outliers) {
    /** Copies the scores. */
    public LayerRows {
      Objects.requireNonNull(layer, "layer is null");
      scores = scores.clone();
    }

    /**
     * @return a copy of the scores
     */
    @Override
    public double[] scores() {
      return scores.clone();
    }

    /**
     * @return the number of rows
     */
    public int rows() {
      return scores.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LayerRows other
          && layer.equals(other.layer)
          && firstIndex == other.firstIndex
          && Arrays.equals(scores, other.scores)
          && Double.compare(mean, other.mean) == 0
          && Double.compare(max, other.max) == 0
          && outliers == other.outliers;
    }

    @Override
    public int hashCode() {
      return Objects.hash(layer, firstIndex, Arrays.hashCode(scores), mean, max, outliers);
    }

    @Override
    public String toString() {
      return "LayerRows[" + layer + ", rows=" + scores.length + ", mean=" + mean + "]";
    }
  }

  /**
   * One outlier row.
   *
   * @param layer its layer
   * @param row its row in the layer
   * @param index its network-wide index
   * @param importance its importance
   */
  public record Outlier(String layer, int row, int index, double importance) {}

  /**
   * Scores the current latent FP weights of every weight layer, as the trainer's row selection
   * does. A metric that {@linkplain ImportanceMetric#needsGradients() needs gradients} gets each
   * weight's current gradient (zero right after a checkpoint is loaded).
   *
   * @param network the network
   * @param metric the importance metric
   * @param metricName its name, recorded in the result
   * @return every row's importance with the outliers at {@link #DEFAULT_OUTLIER_SIGMAS}
   */
  public static RowImportance of(Network network, ImportanceMetric metric, String metricName) {
    List<LayerImportance> scores = new ArrayList<>();
    for (WeightLayer layer : network.weightLayers()) {
      Parameter w = layer.weight();
      LayerImportance s =
          metric.score(
              new WeightRows(
                  layer.name(),
                  w.rows(),
                  w.rowSize(),
                  w.value(),
                  metric.needsGradients() ? w.grad() : null));
      if (s.rows() != w.rows()) {
        throw new IllegalStateException(
            "metric "
                + metricName
                + " gave "
                + s.rows()
                + " scores for layer "
                + layer.name()
                + ", which has "
                + w.rows()
                + " rows");
      }
      scores.add(s);
    }
    return of(scores, metricName, DEFAULT_OUTLIER_SIGMAS);
  }

  /**
   * @param scores every layer's scores, in network order
   * @param metricName the metric's name
   * @param sigmas outliers lie above {@code mean + sigmas·std}
   * @return the statistics and outliers of these scores
   */
  public static RowImportance of(List<LayerImportance> scores, String metricName, double sigmas) {
    if (!(sigmas >= 0)) {
      throw new IllegalArgumentException("sigmas must be >= 0 (was " + sigmas + ")");
    }
    long n = 0;
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (LayerImportance l : scores) {
      for (double s : l.scores()) {
        n++;
        sum += s;
        max = Math.max(max, s);
      }
    }
    double mean = n == 0 ? Double.NaN : sum / n;
    double squares = 0;
    for (LayerImportance l : scores) {
      for (double s : l.scores()) {
        squares += (s - mean) * (s - mean);
      }
    }
    double std = n == 0 ? Double.NaN : Math.sqrt(squares / n);
    double threshold = mean + sigmas * std;
    List<LayerRows> layers = new ArrayList<>();
    List<Outlier> outliers = new ArrayList<>();
    int index = 0;
    for (LayerImportance l : scores) {
      double[] s = l.scores();
      int count = 0;
      double layerMax = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < s.length; r++) {
        layerMax = Math.max(layerMax, s[r]);
        if (s[r] > threshold) {
          outliers.add(new Outlier(l.layer(), r, index + r, s[r]));
          count++;
        }
      }
      layers.add(
          new LayerRows(
              l.layer(), index, s, l.mean(), s.length == 0 ? Double.NaN : layerMax, count));
      index += s.length;
    }
    outliers.sort((a, b) -> Double.compare(b.importance(), a.importance()));
    return new RowImportance(
        metricName, layers, mean, std, n == 0 ? Double.NaN : max, threshold, outliers);
  }

  /**
   * @return the number of rows of the network
   */
  public int totalRows() {
    return layers.stream().mapToInt(LayerRows::rows).sum();
  }

  /**
   * @return one line per row, {@code layer,row,index,importance,outlier} after a header; the
   *     importance with 9 significant digits, outlier 1 or 0
   */
  public String toCsv() {
    StringBuilder b = new StringBuilder("layer,row,index,importance,outlier\n");
    for (LayerRows l : layers) {
      double[] s = l.scores;
      for (int r = 0; r < s.length; r++) {
        b.append(l.layer())
            .append(',')
            .append(r)
            .append(',')
            .append(l.firstIndex() + r)
            .append(',')
            .append(String.format(Locale.ROOT, "%.9g", s[r]))
            .append(',')
            .append(s[r] > outlierThreshold ? 1 : 0)
            .append('\n');
      }
    }
    return b.toString();
  }
}
