package org.efqat.models.bert;

import org.efqat.api.spi.AbstractComponentProvider;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.model.ModelProvider;

/** Registers {@link BertEncoder} as {@code bert}. */
public final class BertProvider extends AbstractComponentProvider<ModelArchitecture, BertConfig>
    implements ModelProvider<BertConfig> {
  /** Called by {@link java.util.ServiceLoader}. */
  public BertProvider() {
    super(
        "bert",
        BertConfig.class,
        "BERT-style Transformer encoder for token ids (presets tiny, all-minilm-l6-v2, bert-base;"
            + " pretrained all-minilm-l6-v2)");
  }

  @Override
  public ModelArchitecture create(BertConfig config, ComponentContext context) {
    BertDimensions dims = config.dimensions();
    return new BertEncoder(
        name(),
        dims,
        config.dropout().floatValue(),
        config.attentionDropout().floatValue(),
        config.poolingMode(),
        config.quantizeAttention(),
        config.pretrained().equals("none")
            ? null
            : () -> PretrainedEncoders.allMiniLmL6V2(dims.layers()));
  }
}
