package org.efqat.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.efqat.experiments.plot.Charts;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The report's figures, drawn per {@link Panel} as PNGs of {@link #WIDTH} × {@link #HEIGHT} pixels:
 * accuracy versus the nominal unfrozen fraction p (Figure 1 of the report), versus the measured
 * backward time (the EfQAT paper's Figure 2) and versus the refresh interval (the paper's Figure
 * 4). Accuracies are drawn in percent; error bars are ± one sample standard deviation over seeds;
 * PTQ, {@code none} and plain QAT are horizontal reference lines.
 */
final class ReportFigures {
  /** Figure width in pixels. */
  static final int WIDTH = 1000;

  /** Figure height in pixels. */
  static final int HEIGHT = 650;

  private static final Color PTQ_COLOR = new Color(0x7f7f7f);
  private static final Color NONE_COLOR = new Color(0x8c564b);
  private static final Color QAT_COLOR = Color.BLACK;
  private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final String ACCURACY = "test accuracy (%)";

  private final Map<String, Color> policyColors;

  /**
   * @param policies every row-picking policy of the report, in the order their colours are given
   *     (so a policy has one colour in every figure)
   */
  ReportFigures(List<String> policies) {
    policyColors = new HashMap<>();
    for (int i = 0; i < policies.size(); i++) {
      policyColors.put(policies.get(i), Charts.COLORS.get(i % Charts.COLORS.size()));
    }
  }

  /**
   * Accuracy versus the nominal unfrozen fraction p: one line per policy (and interval, when the
   * panel varies it), PTQ, none and plain QAT as horizontal lines.
   *
   * @param title the chart title
   * @param panel the panel
   * @return the PNG bytes
   */
  byte[] accuracyVersusP(String title, Panel panel) {
    List<Series> lines = panel.pSeries();
    List<Long> intervals = intervals(panel);
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    XYErrorRenderer r = renderer(true);
    for (int i = 0; i < lines.size(); i++) {
      Series s = lines.get(i);
      data.addSeries(yErrors(s));
      r.setSeriesPaint(i, color(s.policy()));
      Long f = s.points().get(0).group().setting().interval();
      int variant = panel.intervalVaries() ? intervals.indexOf(f) : 0;
      r.setSeriesStroke(i, stroke(variant));
      r.setSeriesShape(i, variantShape(variant));
    }
    NumberAxis x = new NumberAxis("unfrozen fraction p (nominal efqat.freeze.p)");
    double maxP =
        lines.stream()
            .flatMap(s -> s.points().stream())
            .mapToDouble(Series.Point::x)
            .max()
            .orElse(1);
    double tick = maxP * 1.1 <= 0.5 ? 0.05 : 0.1;
    double upper = Math.min(1, Math.ceil(maxP * 1.1 / tick - 1e-9) * tick);
    x.setTickUnit(new NumberTickUnit(tick));
    x.setRange(-0.02 * upper, 1.02 * upper);
    JFreeChart chart =
        chart(
            title,
            "mean ± std over seeds; PTQ, none (p = 0) and plain QAT (all, p = 1) as lines",
            data,
            x,
            r,
            panel.references());
    return Charts.png(chart.createBufferedImage(WIDTH, HEIGHT));
  }

  /**
   * Accuracy versus measured backward time per EfQAT step (the EfQAT paper's Figure 2): every
   * finished setting, coloured by policy and labelled with its p, plain QAT and none marked.
   *
   * @param title the chart title
   * @param panel the panel
   * @return the PNG bytes
   */
  byte[] accuracyVersusBackward(String title, Panel panel) {
    Map<String, List<PointGroup>> byPolicy = new java.util.LinkedHashMap<>();
    for (PointGroup g : panel.timedGroups()) {
      byPolicy.computeIfAbsent(g.setting().policy(), k -> new ArrayList<>()).add(g);
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    XYErrorRenderer r = renderer(false);
    r.setDrawXError(true);
    Map<Integer, List<String>> labels = new HashMap<>();
    int i = 0;
    for (Map.Entry<String, List<PointGroup>> e : byPolicy.entrySet()) {
      String policy = e.getKey();
      String name =
          RunFacts.QAT.equals(policy)
              ? "plain QAT (all, p = 1)"
              : RunFacts.NONE.equals(policy) ? "none (p = 0)" : policy;
      XYIntervalSeries s = new XYIntervalSeries(name, false, true);
      List<String> itemLabels = new ArrayList<>();
      for (PointGroup g : e.getValue()) {
        Stats b = g.backwardMs();
        Stats a = g.efqat().times(100);
        s.add(
            b.mean(),
            b.mean() - b.std(),
            b.mean() + b.std(),
            a.mean(),
            a.mean() - a.std(),
            a.mean() + a.std());
        itemLabels.add(
            g.setting().picksRows()
                ? "p = " + Panel.number(g.setting().p())
                : RunFacts.QAT.equals(policy) ? "QAT" : "none");
      }
      data.addSeries(s);
      labels.put(i, itemLabels);
      r.setSeriesPaint(i, color(policy));
      r.setSeriesShape(i, shape(policy));
      i++;
    }
    r.setDefaultItemLabelGenerator((dataset, series, item) -> labels.get(series).get(item));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(SMALL);
    r.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    NumberAxis x = new NumberAxis("backward time per EfQAT step (ms, median over steps)");
    x.setAutoRangeIncludesZero(false);
    References refs = panel.references();
    JFreeChart chart =
        chart(
            title,
            "every finished setting, mean ± std over seeds on both axes; PTQ as a line",
            data,
            x,
            r,
            new References(null, refs.ptq(), null, null, null));
    return Charts.png(chart.createBufferedImage(WIDTH, HEIGHT));
  }

  /**
   * Accuracy versus the refresh interval {@code f} (the EfQAT paper's Figure 4): one line per
   * policy and p; a logarithmic axis when the intervals span a factor of 8 or more.
   *
   * @param title the chart title
   * @param panel the panel; {@link Panel#intervalVaries()} must hold
   * @return the PNG bytes
   */
  byte[] accuracyVersusInterval(String title, Panel panel) {
    List<Series> lines = panel.intervalSeries();
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    XYErrorRenderer r = renderer(true);
    List<Double> ps = new ArrayList<>();
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (int i = 0; i < lines.size(); i++) {
      Series s = lines.get(i);
      data.addSeries(yErrors(s));
      r.setSeriesPaint(i, color(s.policy()));
      Double p = s.points().get(0).group().setting().p();
      if (!ps.contains(p)) {
        ps.add(p);
      }
      r.setSeriesStroke(i, stroke(ps.indexOf(p)));
      r.setSeriesShape(i, variantShape(ps.indexOf(p)));
      for (Series.Point pt : s.points()) {
        min = Math.min(min, pt.x());
        max = Math.max(max, pt.x());
      }
    }
    String label = "refresh interval f (training samples between row selections)";
    ValueAxis x;
    if (max >= 8 * min) {
      LogAxis log = new LogAxis(label + ", log scale");
      log.setBase(2);
      log.setNumberFormatOverride(
          new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
      // ticks at powers of two (every k-th when the range spans more than 12 of them)
      double powers = Math.log(max / min) / Math.log(2);
      log.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(powers / 12))), false, true);
      log.setRange(min / 1.4, max * 1.4);
      x = log;
    } else {
      NumberAxis lin = new NumberAxis(label);
      lin.setAutoRangeIncludesZero(false);
      lin.setRange(min - 0.08 * (max - min) - 1, max + 0.08 * (max - min) + 1);
      x = lin;
    }
    JFreeChart chart =
        chart(
            title,
            "mean ± std over seeds; PTQ, none (p = 0) and plain QAT (all, p = 1) as lines",
            data,
            x,
            r,
            panel.references());
    return Charts.png(chart.createBufferedImage(WIDTH, HEIGHT));
  }

  private static JFreeChart chart(
      String title,
      String subtitle,
      XYIntervalSeriesCollection data,
      ValueAxis x,
      XYErrorRenderer r,
      References refs) {
    NumberAxis y = new NumberAxis(ACCURACY);
    XYPlot plot = new XYPlot(data, x, y, r);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    Charts.whiteBackground(chart);
    chart.addSubtitle(new TextTitle(subtitle, SMALL));
    LegendItemCollection legend = plot.getLegendItems();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < data.getSeriesCount(); s++) {
      for (int i = 0; i < data.getItemCount(s); i++) {
        lo = Math.min(lo, data.getStartYValue(s, i));
        hi = Math.max(hi, data.getEndYValue(s, i));
      }
    }
    Object[][] levels = {
      {"PTQ", refs.ptq(), PTQ_COLOR, Charts.dashed(1.5f)},
      {"none (p = 0)", refs.none(), NONE_COLOR, dotted()},
      {"plain QAT (all, p = 1)", refs.qat(), QAT_COLOR, new BasicStroke(1.5f)}
    };
    for (Object[] level : levels) {
      Stats s = (Stats) level[1];
      if (s == null) {
        continue;
      }
      Stats pct = s.times(100);
      String text = level[0] + " " + percent(pct, true);
      ValueMarker m = new ValueMarker(pct.mean(), (Paint) level[2], (Stroke) level[3]);
      m.setLabel(text);
      m.setLabelFont(SMALL);
      m.setLabelPaint((Paint) level[2]);
      m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
      m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addRangeMarker(m);
      legend.add(
          new LegendItem(
              text,
              null,
              null,
              null,
              false,
              new Rectangle2D.Double(),
              false,
              (Paint) level[2],
              false,
              (Paint) level[2],
              (Stroke) level[3],
              true,
              new Line2D.Double(-10, 0, 10, 0),
              (Stroke) level[3],
              (Paint) level[2]));
      lo = Math.min(lo, pct.mean());
      hi = Math.max(hi, pct.mean());
    }
    if (lo <= hi) {
      double pad = Math.max(0.5, 0.08 * (hi - lo));
      y.setRange(Math.max(0, lo - pad), Math.min(100.5, hi + pad));
    }
    plot.setFixedLegendItems(legend);
    return chart;
  }

  private static XYErrorRenderer renderer(boolean lines) {
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDefaultLinesVisible(lines);
    r.setDefaultShapesVisible(true);
    r.setDrawXError(false);
    r.setDrawYError(true);
    r.setCapLength(6);
    r.setDefaultShape(new Ellipse2D.Double(-4, -4, 8, 8));
    r.setAutoPopulateSeriesShape(false);
    return r;
  }

  /** A line with vertical error bars: y = accuracy in percent ± std. */
  private static XYIntervalSeries yErrors(Series s) {
    XYIntervalSeries out = new XYIntervalSeries(s.label(), false, true);
    for (Series.Point pt : s.points()) {
      Stats a = pt.group().efqat().times(100);
      out.add(pt.x(), pt.x(), pt.x(), a.mean(), a.mean() - a.std(), a.mean() + a.std());
    }
    return out;
  }

  private Color color(String policy) {
    if (RunFacts.QAT.equals(policy)) {
      return QAT_COLOR;
    }
    if (RunFacts.NONE.equals(policy)) {
      return NONE_COLOR;
    }
    return policyColors.getOrDefault(policy, Color.DARK_GRAY);
  }

  private static Shape shape(String policy) {
    if (RunFacts.QAT.equals(policy)) {
      return new Rectangle2D.Double(-5, -5, 10, 10);
    }
    if (RunFacts.NONE.equals(policy)) {
      return polygon(0, -6, 6, 0, 0, 6, -6, 0);
    }
    return new Ellipse2D.Double(-4, -4, 8, 8);
  }

  /** Circle, triangle up, square, triangle down, diamond, by variant (interval or p) index. */
  private static Shape variantShape(int index) {
    return switch (Math.max(0, index) % 5) {
      case 0 -> new Ellipse2D.Double(-4, -4, 8, 8);
      case 1 -> polygon(0, -5, 5, 4, -5, 4);
      case 2 -> new Rectangle2D.Double(-4, -4, 8, 8);
      case 3 -> polygon(0, 5, 5, -4, -5, -4);
      default -> polygon(0, -5, 5, 0, 0, 5, -5, 0);
    };
  }

  /** A closed polygon through (x0, y0), (x1, y1), ... in pixels around the data point. */
  private static Shape polygon(double... xy) {
    Path2D.Double d = new Path2D.Double();
    d.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      d.lineTo(xy[i], xy[i + 1]);
    }
    d.closePath();
    return d;
  }

  /** Solid for the first interval (or p) of a panel, then dashed, dotted, dash-dotted. */
  private static Stroke stroke(int index) {
    float[][] dashes = {null, {8f, 5f}, {2f, 4f}, {8f, 4f, 2f, 4f}};
    float[] d = dashes[Math.max(0, index) % dashes.length];
    return d == null
        ? new BasicStroke(2f)
        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, d, 0f);
  }

  private static Stroke dotted() {
    return new BasicStroke(
        1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1.5f, 4f}, 0f);
  }

  private static List<Long> intervals(Panel panel) {
    List<Long> out = new ArrayList<>();
    for (PointGroup g : panel.efqatGroups()) {
      if (!out.contains(g.setting().interval())) {
        out.add(g.setting().interval());
      }
    }
    return out;
  }

  /**
   * @param pct a statistic in percent
   * @param withCount whether to add the count ({@code (n = 3)}) when there is more than one value
   * @return {@code 85.20%}, or {@code 85.20 ± 0.31%} for more than one value
   */
  static String percent(Stats pct, boolean withCount) {
    if (pct.n() == 1) {
      return String.format(Locale.ROOT, "%.2f%%", pct.mean());
    }
    return String.format(Locale.ROOT, "%.2f ± %.2f%%", pct.mean(), pct.std())
        + (withCount ? " (n = " + pct.n() + ")" : "");
  }
}
