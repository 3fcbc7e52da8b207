package org.efqat.core.train;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.efqat.core.config.AlwaysTrainConfig;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;

/** Which parameters train in each stage. */
public final class TrainableParameters {
  private TrainableParameters() {}

  /**
   * @param network the network
   * @return weights, biases, norm parameters and embedding tables (full-precision pre-training or
   *     fine-tuning)
   */
  public static List<Parameter> forPretraining(Network network) {
    return select(
        network,
        EnumSet.of(
            ParamKind.WEIGHT,
            ParamKind.BIAS,
            ParamKind.NORM_SCALE,
            ParamKind.NORM_SHIFT,
            ParamKind.EMBEDDING));
  }

  /**
   * The EfQAT stage (DESIGN.md 1.1): weights and weight steps (in their unfrozen rows), plus the
   * cheap always-trained parameters the config enables.
   *
   * @param network the quantized network
   * @param always which cheap parameters train for every row
   * @return the parameters
   */
  public static List<Parameter> forEfqat(Network network, AlwaysTrainConfig always) {
    Set<ParamKind> kinds = EnumSet.of(ParamKind.WEIGHT, ParamKind.WEIGHT_STEP);
    if (always.biases()) {
      kinds.add(ParamKind.BIAS);
    }
    if (always.norm()) {
      kinds.add(ParamKind.NORM_SCALE);
      kinds.add(ParamKind.NORM_SHIFT);
    }
    if (always.activationQuantizers()) {
      kinds.add(ParamKind.ACTIVATION_STEP);
      kinds.add(ParamKind.ACTIVATION_ZERO_POINT);
    }
    if (always.embeddings()) {
      kinds.add(ParamKind.EMBEDDING);
    }
    return select(network, kinds);
  }

  private static List<Parameter> select(Network network, Set<ParamKind> kinds) {
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : network.parameters().values()) {
      if (kinds.contains(p.kind())) {
        out.add(p);
      }
    }
    return out;
  }
}
