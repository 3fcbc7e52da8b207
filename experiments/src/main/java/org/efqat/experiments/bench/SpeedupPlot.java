package org.efqat.experiments.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.efqat.experiments.plot.Charts;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Backward-pass speedup over plain QAT versus the unfrozen fraction, with the ideal curve. */
final class SpeedupPlot {
  private SpeedupPlot() {}

  /**
   * @param title the chart title
   * @param curves label → (p, speedup) points
   * @return the PNG bytes
   */
  static byte[] render(String title, Map<String, List<double[]>> curves) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeries ideal = new XYSeries("ideal 2/(1+p)", true, false);
    for (int i = 0; i <= 100; i++) {
      double p = i / 100.0;
      ideal.add(p, BenchReport.ideal(p));
    }
    data.addSeries(ideal);
    curves.forEach(
        (label, points) -> {
          XYSeries s = new XYSeries(label, true, false);
          points.forEach(pt -> s.add(pt[0], pt[1]));
          data.addSeries(s);
        });
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "unfrozen fraction p",
            "backward speedup over p = 1",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = Charts.whiteBackground(chart);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, Color.GRAY);
    r.setSeriesShapesVisible(0, false);
    r.setSeriesStroke(0, Charts.dashed(1.5f));
    for (int i = 1; i < data.getSeriesCount(); i++) {
      r.setSeriesPaint(i, Charts.COLORS.get((i - 1) % Charts.COLORS.size()));
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(r);
    return Charts.png(chart.createBufferedImage(900, 560));
  }
}
