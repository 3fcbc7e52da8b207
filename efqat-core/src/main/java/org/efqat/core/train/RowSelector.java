package org.efqat.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.freeze.NetworkImportance;
import org.efqat.api.freeze.RowSelection;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.importance.LayerImportance;
import org.efqat.api.importance.WeightRows;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.WeightLayer;

/**
 * Scores every weight layer's rows with the importance metric, asks the freeze policy which rows
 * train, and tells each layer (DESIGN.md 1.2). A metric that {@linkplain
 * ImportanceMetric#needsGradients() needs gradients} gets each layer's weight gradient of the last
 * step, which is zero in rows that were frozen in that step.
 */
public final class RowSelector {
  private final Network network;
  private final ImportanceMetric metric;
  private final FreezePolicy policy;
  private RowSelection last;

  /**
   * @param network the network whose weight layers are selected
   * @param metric the importance metric
   * @param policy the freeze policy
   */
  public RowSelector(Network network, ImportanceMetric metric, FreezePolicy policy) {
    this.network = Objects.requireNonNull(network, "network is null");
    this.metric = Objects.requireNonNull(metric, "metric is null");
    this.policy = Objects.requireNonNull(policy, "policy is null");
  }

  /**
   * Re-selects the unfrozen rows of every weight layer.
   *
   * @return the selection
   */
  public RowSelection select() {
    List<LayerImportance> scores = new ArrayList<>();
    for (WeightLayer layer : network.weightLayers()) {
      var w = layer.weight();
      scores.add(
          metric.score(
              new WeightRows(
                  layer.name(),
                  w.rows(),
                  w.rowSize(),
                  w.value(),
                  metric.needsGradients() ? w.grad() : null)));
    }
    RowSelection selection = policy.select(new NetworkImportance(scores));
    for (WeightLayer layer : network.weightLayers()) {
      layer.setUnfrozenRows(selection.unfrozenRows(layer.name()));
    }
    last = selection;
    return selection;
  }

  /**
   * Puts a saved selection back in force (when a run resumes in the middle of a stage).
   *
   * @param selection a selection {@link #select()} made for this network
   * @throws IllegalArgumentException naming the layer if the selection does not fit the network
   */
  public void restore(RowSelection selection) {
    for (WeightLayer layer : network.weightLayers()) {
      if (selection.rowCount(layer.name()) != layer.outChannels()) {
        throw new IllegalArgumentException(
            "the saved row selection has "
                + selection.rowCount(layer.name())
                + " rows for layer "
                + layer.name()
                + ", which has "
                + layer.outChannels());
      }
    }
    for (WeightLayer layer : network.weightLayers()) {
      layer.setUnfrozenRows(selection.unfrozenRows(layer.name()));
    }
    last = selection;
  }

  /**
   * @return the importance metric
   */
  public ImportanceMetric metric() {
    return metric;
  }

  /**
   * @return the freeze policy
   */
  public FreezePolicy policy() {
    return policy;
  }

  /**
   * @return the last selection, or {@code null} before the first
   */
  public RowSelection last() {
    return last;
  }
}
