package org.efqat.core.nn;

import java.util.List;

/**
 * {@code [n, h, w, c] → [n, 1, 1, h·w·c]} in NHWC order (no copy). Note that PyTorch flattens NCHW,
 * so a following Linear layer's weight columns are ordered differently from PyTorch's.
 */
public final class Flatten implements Layer {
  private final String name;
  private FeatureShape lastShape;

  /**
   * @param name a name (no parameters)
   */
  public Flatten(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Activation forward(Activation input, boolean training) {
    FeatureShape s = input.shape();
    lastShape = s;
    return new Activation(input.tensor(), new FeatureShape(s.n(), 1, 1, s.h() * s.w() * s.c()));
  }

  @Override
  public Activation backward(Activation gradOutput) {
    return new Activation(gradOutput.tensor(), lastShape);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }
}
