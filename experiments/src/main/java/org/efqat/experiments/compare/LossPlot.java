package org.efqat.experiments.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.efqat.experiments.plot.Charts;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The training-loss curves of several backends as one PNG. Per stage (pretraining, EfQAT) two
 * panels: the losses, one line per backend, each a running mean over a window of steps so that
 * batch noise does not hide the trend; and each backend's raw per-step difference to the first
 * (reference) backend, which shows divergence that overlapping curves hide.
 */
final class LossPlot {
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 300;

  private LossPlot() {}

  /**
   * @param panels stage title → backend → loss per step; stages without any loss are skipped
   * @return the PNG bytes
   */
  static byte[] render(Map<String, Map<String, List<Double>>> panels) {
    List<Map.Entry<String, Map<String, List<Double>>>> shown =
        panels.entrySet().stream()
            .filter(e -> e.getValue().values().stream().anyMatch(l -> !l.isEmpty()))
            .toList();
    int height = 2 * PANEL_HEIGHT * Math.max(1, shown.size());
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      for (int i = 0; i < shown.size(); i++) {
        String stage = shown.get(i).getKey();
        Map<String, List<Double>> losses = shown.get(i).getValue();
        chart(stage, losses)
            .draw(g, new Rectangle2D.Double(0, 2 * i * PANEL_HEIGHT, WIDTH, PANEL_HEIGHT));
        differenceChart(stage, losses)
            .draw(g, new Rectangle2D.Double(0, (2 * i + 1) * PANEL_HEIGHT, WIDTH, PANEL_HEIGHT));
      }
    } finally {
      g.dispose();
    }
    return Charts.png(image);
  }

  private static JFreeChart chart(String stage, Map<String, List<Double>> byBackend) {
    int steps = byBackend.values().stream().mapToInt(List::size).max().orElse(0);
    int window = Math.max(1, steps / 50);
    XYSeriesCollection data = new XYSeriesCollection();
    byBackend.forEach((backend, losses) -> data.addSeries(smoothed(backend, losses, window)));
    String title = stage + (window > 1 ? " (mean over " + window + " steps)" : "");
    return styled(
        ChartFactory.createXYLineChart(
            title, "step", "training loss", data, PlotOrientation.VERTICAL, true, false, false));
  }

  private static JFreeChart differenceChart(String stage, Map<String, List<Double>> byBackend) {
    List<Map.Entry<String, List<Double>>> entries = List.copyOf(byBackend.entrySet());
    String reference = entries.get(0).getKey();
    List<Double> ref = entries.get(0).getValue();
    XYSeriesCollection data = new XYSeriesCollection();
    // An empty first series keeps each backend's colour the same as in the loss panel.
    data.addSeries(new XYSeries(reference + " (reference)", false, true));
    for (var e : entries.subList(1, entries.size())) {
      XYSeries s = new XYSeries(e.getKey() + " - " + reference, false, true);
      for (int i = 0; i < Math.min(ref.size(), e.getValue().size()); i++) {
        s.add(i, e.getValue().get(i) - ref.get(i));
      }
      data.addSeries(s);
    }
    return styled(
        ChartFactory.createXYLineChart(
            stage + ": loss difference to " + reference + " per step",
            "step",
            "loss difference",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false));
  }

  private static JFreeChart styled(JFreeChart chart) {
    XYPlot plot = Charts.whiteBackground(chart);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, Charts.COLORS.get(s % Charts.COLORS.size()));
      // Dashed lines for later backends keep overlapping curves distinguishable.
      renderer.setSeriesStroke(s, s == 0 ? new BasicStroke(2f) : Charts.dashed(1.5f));
    }
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return chart;
  }

  private static XYSeries smoothed(String name, List<Double> values, int window) {
    XYSeries s = new XYSeries(name, false, true);
    double sum = 0;
    for (int i = 0; i < values.size(); i++) {
      sum += values.get(i);
      if (i >= window) {
        sum -= values.get(i - window);
      }
      s.add(i, sum / Math.min(i + 1, window));
    }
    return s;
  }
}
