package org.efqat.models.text.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.NamedTensor;

/**
 * Pre-trained BERT weights under PyTorch's {@code state_dict} names and shapes, as imported from an
 * ONNX file by {@link BertOnnxImporter}: {@code nn.Linear} weights are {@code [out, in]}, embedding
 * tables {@code [rows, hidden]}, biases and LayerNorm parameters {@code [width]}; all FP32.
 *
 * @param config the encoder's hyper-parameters; {@code config.layers()} is the number of layers
 *     whose tensors are present
 * @param checkpoint the tensors by name, in {@code state_dict} order, and metadata about the file
 *     ({@code source}, {@code producer}, {@code ir_version}, {@code opset})
 * @param skipped initializers of the file that are not parameters and were left out, for example
 *     {@code embeddings.position_ids} (INT64 buffer {@code [1, 512]} holding {@code 0..511})
 */
public record BertOnnxWeights(BertOnnxConfig config, Checkpoint checkpoint, List<String> skipped) {
  private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d{1,9})\\.");

  /** Copies {@code skipped}. */
  public BertOnnxWeights {
    Objects.requireNonNull(config, "config is null");
    Objects.requireNonNull(checkpoint, "checkpoint is null");
    skipped = List.copyOf(skipped);
  }

  /**
   * @return the tensors by name, in {@code state_dict} order, unmodifiable
   */
  public Map<String, NamedTensor> tensors() {
    return checkpoint.tensors();
  }

  /**
   * @param name a {@code state_dict} name, for example {@code embeddings.word_embeddings.weight}
   * @return the tensor
   * @throws org.efqat.core.checkpoint.CheckpointException if there is none of that name
   */
  public NamedTensor get(String name) {
    return checkpoint.get(name);
  }

  /**
   * Keeps the embeddings and the first {@code k} encoder layers: drops every {@code
   * encoder.layer.<i>.*} with {@code i >= k}. The tensors are shared, not copied.
   *
   * @param k the layers to keep, {@code 1..config.layers()}
   * @return the weights of a {@code k}-layer encoder
   * @throws IllegalArgumentException if {@code k} is out of range
   */
  public BertOnnxWeights firstLayers(int k) {
    if (k < 1 || k > config.layers()) {
      throw new IllegalArgumentException(
          "layers to keep must be in [1, " + config.layers() + "] (was " + k + ")");
    }
    Map<String, NamedTensor> kept = new LinkedHashMap<>();
    for (Map.Entry<String, NamedTensor> e : tensors().entrySet()) {
      if (layerOf(e.getKey()) < k) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    return new BertOnnxWeights(
        config.withLayers(k), new Checkpoint(kept, checkpoint.metadata()), skipped);
  }

  /**
   * @param name a tensor name
   * @return {@code i} for {@code encoder.layer.<i>.*}, else -1
   */
  static int layerOf(String name) {
    Matcher m = LAYER.matcher(name);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
