package org.efqat.models.text.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.efqat.core.checkpoint.NamedTensor;

/**
 * Reference outputs of a BERT ONNX model from ONNX Runtime (CPU, one intra-op thread), for
 * equivalence tests: the model's {@code input_ids} and {@code attention_mask} are given, its {@code
 * token_type_ids} (all-MiniLM-L6-v2 has this input) are all 0. all-MiniLM-L6-v2's inputs are {@code
 * input_ids}, {@code attention_mask}, {@code token_type_ids} (INT64 {@code [batch, sequence]}) and
 * its one output {@code last_hidden_state} (FP32 {@code [batch, sequence, 384]}); it has no
 * pooling.
 *
 * <p>{@link #withOutput} exposes an intermediate value of the graph as an extra output, so a test
 * can compare a sub-step (for example the embeddings' LayerNorm) as well.
 */
public final class OrtReference implements AutoCloseable {
  /** The model's output with the encoder's result, FP32 {@code [batch, sequence, hidden]}. */
  static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final OrtEnvironment env;
  private final OrtSession session;

  private OrtReference(OrtEnvironment env, OrtSession session) {
    this.env = env;
    this.session = session;
  }

  /**
   * @param model an ONNX model (serialized for ONNX Runtime, about 90 MB for MiniLM)
   * @return a session over it; close it when done
   * @throws OrtException if ONNX Runtime rejects the model
   */
  public static OrtReference open(ModelProto model) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      return new OrtReference(env, env.createSession(model.toByteArray(), options));
    }
  }

  /**
   * @param model an ONNX model
   * @param value the name of a value that some node outputs, assumed FP32
   * @return a copy of the model with that value added as a graph output (shape left unspecified)
   */
  static ModelProto withOutput(ModelProto model, String value) {
    ModelProto.Builder b = model.toBuilder();
    b.getGraphBuilder()
        .addOutput(
            ValueInfoProto.newBuilder()
                .setName(value)
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(
                            TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT.getNumber()))));
    return b.build();
  }

  /**
   * @return the model's input names, in order
   */
  Set<String> inputNames() throws OrtException {
    return session.getInputNames();
  }

  /**
   * @param ids token ids {@code [batch][sequence]}, each in the vocabulary
   * @param mask 1 for real tokens, 0 for padding, same shape as {@code ids}
   * @return {@value #LAST_HIDDEN_STATE}, FP32 {@code [batch, sequence, hidden]}
   */
  public NamedTensor lastHiddenState(long[][] ids, long[][] mask) throws OrtException {
    return run(ids, mask, LAST_HIDDEN_STATE).get(LAST_HIDDEN_STATE);
  }

  /**
   * @param ids token ids {@code [batch][sequence]}
   * @param mask 1 for real tokens, 0 for padding, same shape as {@code ids}
   * @param outputs the FP32 outputs to fetch
   * @return each output by name, with ONNX Runtime's shape
   */
  Map<String, NamedTensor> run(long[][] ids, long[][] mask, String... outputs) throws OrtException {
    int batch = ids.length;
    int length = ids[0].length;
    long[] shape = {batch, length};
    Map<String, long[]> feeds = new LinkedHashMap<>();
    feeds.put("input_ids", flatten(ids, length));
    feeds.put("attention_mask", flatten(mask, length));
    feeds.put("token_type_ids", new long[batch * length]);
    Map<String, OnnxTensor> inputs = new HashMap<>();
    List<OnnxTensor> created = new ArrayList<>();
    try {
      for (String name : session.getInputNames()) {
        long[] data = feeds.get(name);
        if (data == null) {
          throw new IllegalArgumentException("the model has an unexpected input " + name);
        }
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape);
        created.add(t);
        inputs.put(name, t);
      }
      Map<String, NamedTensor> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(inputs, Set.of(outputs))) {
        for (String name : outputs) {
          OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
          FloatBuffer fb = t.getFloatBuffer();
          float[] data = new float[fb.remaining()];
          fb.get(data);
          out.put(name, new NamedTensor(name, t.getInfo().getShape(), data));
        }
      }
      return out;
    } finally {
      for (OnnxTensor t : created) {
        t.close();
      }
    }
  }

  private static long[] flatten(long[][] rows, int length) {
    long[] flat = new long[rows.length * length];
    for (int b = 0; b < rows.length; b++) {
      if (rows[b].length != length) {
        throw new IllegalArgumentException(
            "row " + b + " has " + rows[b].length + " entries, expected " + length);
      }
      System.arraycopy(rows[b], 0, flat, b * length, length);
    }
    return flat;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
