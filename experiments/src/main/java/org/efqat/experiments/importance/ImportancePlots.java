package org.efqat.experiments.importance;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import org.efqat.core.importance.RowImportance;
import org.efqat.experiments.plot.Charts;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The two row-importance figures of {@code efqat importance}. */
public final class ImportancePlots {
  /** Layer names are written on the network figure up to this many layers. */
  static final int MAX_LABELLED_LAYERS = 24;

  private ImportancePlots() {}

  /**
   * The whole network, like EfQAT's Figure 3: the importance of every row in network order (x = the
   * network-wide row index), layer boundaries as grey lines, the outlier threshold dashed and the
   * outliers in red.
   *
   * @param title the chart title
   * @param imp the importance of every row
   * @return the PNG bytes (1000 × 460)
   */
  public static byte[] network(String title, RowImportance imp) {
    XYSeries rows = new XYSeries("row importance", false, false);
    XYSeries outliers =
        new XYSeries(
            String.format(
                java.util.Locale.ROOT,
                "outliers (> mean + %.0f std = %.4g)",
                RowImportance.DEFAULT_OUTLIER_SIGMAS,
                imp.outlierThreshold()),
            false,
            false);
    for (RowImportance.LayerRows l : imp.layers()) {
      double[] s = l.scores();
      for (int r = 0; r < s.length; r++) {
        (s[r] > imp.outlierThreshold() ? outliers : rows).add(l.firstIndex() + r, s[r]);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(rows);
    data.addSeries(outliers);
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            title,
            "row (network order)",
            "importance (" + imp.metric() + ")",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = Charts.whiteBackground(chart);
    plot.setDomainGridlinesVisible(false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, Charts.COLORS.get(0));
    r.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
    r.setSeriesPaint(1, Charts.COLORS.get(1));
    r.setSeriesShape(1, new Ellipse2D.Double(-3, -3, 6, 6));
    plot.setRenderer(r);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
    boolean labels = imp.layers().size() <= MAX_LABELLED_LAYERS;
    for (RowImportance.LayerRows l : imp.layers()) {
      if (l.firstIndex() > 0) {
        ValueMarker m =
            new ValueMarker(l.firstIndex() - 0.5, Color.LIGHT_GRAY, new BasicStroke(1f));
        plot.addDomainMarker(m);
      }
      if (labels) {
        ValueMarker name =
            new ValueMarker(l.firstIndex() - 0.5, new Color(0, 0, 0, 0), new BasicStroke(0f));
        name.setLabel(l.layer());
        name.setLabelFont(small);
        name.setLabelPaint(Color.DARK_GRAY);
        name.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        name.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        name.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(name);
      }
    }
    ValueMarker threshold =
        new ValueMarker(imp.outlierThreshold(), Charts.COLORS.get(1), Charts.dashed(1f));
    plot.addRangeMarker(threshold);
    plot.getDomainAxis().setRange(-0.5, Math.max(1, imp.totalRows()) - 0.5);
    return Charts.png(chart.createBufferedImage(1000, 460));
  }

  /**
   * Per layer: a box plot of its rows' importance (median, quartiles, whiskers at 1.5 IQR, the rows
   * beyond them drawn as small circles), one box per weight layer in network order.
   *
   * @param title the chart title
   * @param imp the importance of every row
   * @return the PNG bytes (width grows with the layer count, at least 700 × 460)
   */
  public static byte[] layers(String title, RowImportance imp) {
    DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
    for (RowImportance.LayerRows l : imp.layers()) {
      List<Double> values = new ArrayList<>();
      for (double s : l.scores()) {
        values.add(s);
      }
      data.add(values, "importance", l.layer());
    }
    JFreeChart chart =
        ChartFactory.createBoxAndWhiskerChart(
            title, "layer", "importance (" + imp.metric() + ")", data, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BoxAndWhiskerRenderer r = new BoxAndWhiskerRenderer();
    r.setSeriesPaint(0, new Color(0x9ecae1));
    r.setMeanVisible(false);
    r.setMaxOutlierVisible(true);
    r.setMinOutlierVisible(true);
    r.setMaximumBarWidth(0.06);
    r.setDefaultOutlinePaint(Color.DARK_GRAY);
    r.setUseOutlinePaintForWhiskers(true);
    plot.setRenderer(r);
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    ValueMarker threshold =
        new ValueMarker(imp.outlierThreshold(), Charts.COLORS.get(1), Charts.dashed(1f));
    threshold.setLabel("network outlier threshold");
    threshold.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    threshold.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
    threshold.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    threshold.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(threshold);
    int width = Math.max(700, 40 * imp.layers().size() + 160);
    return Charts.png(chart.createBufferedImage(width, 460));
  }
}
