package org.efqat.core.model;

import java.util.SplittableRandom;
import org.efqat.api.backend.Backend;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Network;

/**
 * A network architecture with its options bound: builds freshly initialized networks for a
 * dataset's sample shape and class count.
 */
@FunctionalInterface
public interface ModelArchitecture {
  /**
   * Builds a network with freshly initialized full-precision weights.
   *
   * @param backend where it computes
   * @param sample one sample's shape {@code [1, h, w, c]} (NHWC)
   * @param classes the number of classes, the width of the logits
   * @param init the initialization stream; the same stream gives the same weights on every backend
   * @return the network, not yet quantized
   * @throws IllegalArgumentException if the architecture cannot take that input, naming both
   */
  Network build(Backend backend, FeatureShape sample, int classes, SplittableRandom init);
}
