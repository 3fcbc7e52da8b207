package org.efqat.core.session;

import com.google.inject.Inject;
import org.efqat.api.quant.Quantizer;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.QuantizationConfig;
import org.efqat.core.config.ResolvedComponent;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.nn.LayerQuantization;

/**
 * Each weight layer's quantizers (DESIGN.md 1.1): {@code quantization.weights} and {@code
 * .activations}, with {@code bits} replaced by {@code firstLayerBits} for the first weight layer
 * and {@code lastLayerBits} for the last; and the quantizer of each activation outside the weight
 * layers (attention's matmul operands): {@code quantization.activations} as configured.
 */
public final class LayerQuantizers {
  private final ResolvedExperiment experiment;
  private final ComponentContext context;

  /**
   * @param experiment the experiment
   * @param context its seeded context
   */
  @Inject
  public LayerQuantizers(ResolvedExperiment experiment, ComponentContext context) {
    this.experiment = experiment;
    this.context = context;
  }

  /**
   * @param index the layer's position among the weight layers
   * @param count the number of weight layers
   * @return its quantizers
   */
  public LayerQuantization forLayer(int index, int count) {
    QuantizationConfig q = experiment.config().quantization();
    Integer bits = index == 0 ? q.firstLayerBits() : index == count - 1 ? q.lastLayerBits() : null;
    ResolvedComponent<?> w = experiment.weightQuantizer();
    ResolvedComponent<?> a = experiment.activationQuantizer();
    if (bits != null) {
      w = w.withOption("bits", bits);
      a = a.withOption("bits", bits);
    }
    return new LayerQuantization(w.<Quantizer>create(context), a.<Quantizer>create(context));
  }

  /**
   * @return a new {@code quantization.activations} quantizer at its configured bit width ({@code
   *     firstLayerBits} and {@code lastLayerBits} belong to the first and last weight layers)
   */
  public Quantizer forActivations() {
    return experiment.activationQuantizer().<Quantizer>create(context);
  }
}
