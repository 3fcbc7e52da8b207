package org.efqat.experiments.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/** The look and the PNG encoding shared by the plots of {@code efqat compare} and {@code bench}. */
public final class Charts {
  /**
   * Line colours, one per series in order: matplotlib's first five, then its pink, olive and cyan
   * (its brown and grey are left for reference lines).
   */
  public static final List<Color> COLORS =
      List.of(
          new Color(0x1f77b4),
          new Color(0xd62728),
          new Color(0x2ca02c),
          new Color(0x9467bd),
          new Color(0xff7f0e),
          new Color(0xe377c2),
          new Color(0xbcbd22),
          new Color(0x17becf));

  private Charts() {}

  /**
   * White background with light-grey grid lines.
   *
   * @param chart an XY chart
   * @return its plot, for further styling
   */
  public static XYPlot whiteBackground(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }

  /**
   * @param width line width in pixels
   * @return a dashed stroke (6 on, 4 off)
   */
  public static Stroke dashed(float width) {
    return new BasicStroke(
        width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  /**
   * @param image a rendered image
   * @return its PNG encoding
   */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }
}
