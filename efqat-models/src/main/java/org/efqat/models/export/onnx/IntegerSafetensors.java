package org.efqat.models.export.onnx;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.efqat.api.quant.QuantGrid;
import org.efqat.core.checkpoint.NamedTensor;
import org.efqat.core.checkpoint.SafetensorsDtype;
import org.efqat.core.checkpoint.SafetensorsWriter;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;

/**
 * Writes a quantized network's integer weights, scales and zero points as safetensors ({@code
 * <name>.int.safetensors}), the integer form of what the ONNX export holds:
 *
 * <ul>
 *   <li>{@code <layer>.weight}: the integers {@code q} of {@link IntegerWeights}, {@code I8} for a
 *       signed grid, {@code U8} for an unsigned one, PyTorch's layout ({@code [C_out, C_in, k, k]}
 *       or {@code [C_out, C_in]}); grids below 8 bits are stored in 8 bits (a 4-bit weight is an I8
 *       in {@code [-8, 7]});
 *   <li>{@code <layer>.weight_scale} F32 {@code [C_out]} and {@code <layer>.weight_zero_point}
 *       ({@code I8}/{@code U8} like the weight, {@code [C_out]}; 0 for the symmetric grids), so
 *       that {@code Ŵ = weight_scale·(weight − weight_zero_point)} per row;
 *   <li>{@code <layer>.bias} F32 {@code [C_out]} where the layer has one (folded BatchNorm, bias
 *       correction);
 *   <li>{@code <layer>.input_scale} and {@code <layer>.input_zero_point}, F32 {@code [1]}: the
 *       input quantizer {@code x̂ = s·(clamp(rint(x/s + z), qmin, qmax) − z)}; the zero point is
 *       F32 because LSQ+ trains it continuously;
 *   <li>{@code <site>.scale} and {@code <site>.zero_point}, F32 {@code [1]}, for the other
 *       activation quantizers (attention's {@code ...self.query_act}, {@code key_act}, {@code
 *       value_act}, {@code probs_act});
 *   <li>every other parameter under its checkpoint name, F32 (LayerNorm, embeddings, unquantized
 *       layers);
 *   <li>metadata {@code format = efqat-int}, and per quantizer its grid, e.g. {@code
 *       <layer>.weight_grid = int4 [-8, 7]}, {@code <layer>.input_grid = uint4 [0, 15]}.
 * </ul>
 */
public final class IntegerSafetensors {
  /** The metadata value of {@code format}. */
  public static final String FORMAT = "efqat-int";

  private IntegerSafetensors() {}

  /**
   * What was written.
   *
   * @param weightLayers quantized weight layers (integer weights)
   * @param activationQuantizers per-tensor activation quantizers (inputs and the others)
   * @param tensors tensors in the file
   */
  public record Written(int weightLayers, int activationQuantizers, int tensors) {}

  /**
   * @param net a quantized network
   * @param file the target; its folder must exist
   * @param metadata more metadata (stage, source run), written after {@code format}
   * @return what was written
   * @throws OnnxExportException if a quantizer has no integer form (see {@link IntegerWeights})
   */
  public static Written write(Network net, Path file, Map<String, String> metadata) {
    Objects.requireNonNull(net, "net is null");
    Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    Map<String, SafetensorsDtype> dtypes = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.putAll(metadata);
    Set<String> covered = new HashSet<>();
    int layers = 0;
    int activations = 0;
    for (WeightLayer l : net.weightLayers()) {
      if (l.quantization() == null) {
        continue;
      }
      IntegerWeights w = IntegerWeights.of(l);
      SafetensorsDtype intType = w.grid().signed() ? SafetensorsDtype.I8 : SafetensorsDtype.U8;
      put(tensors, dtypes, l.name() + ".weight", w.dims(), floats(w.values()), intType);
      put(tensors, dtypes, l.name() + ".weight_scale", rows(w), w.scale(), SafetensorsDtype.F32);
      put(
          tensors,
          dtypes,
          l.name() + ".weight_zero_point",
          rows(w),
          floats(w.zeroPoint()),
          intType);
      if (l.bias() != null) {
        put(
            tensors,
            dtypes,
            l.name() + ".bias",
            rows(w),
            l.bias().value().clone(),
            SafetensorsDtype.F32);
      }
      ActivationQuantization in = ActivationQuantization.inputOf(l);
      putScalar(tensors, dtypes, l.name() + ".input_scale", in.scale());
      putScalar(tensors, dtypes, l.name() + ".input_zero_point", in.zeroPoint());
      meta.put(l.name() + ".weight_grid", grid(w.grid()));
      meta.put(l.name() + ".input_grid", grid(in.grid()));
      l.parameters().forEach(p -> covered.add(p.name()));
      layers++;
      activations++;
    }
    for (ActivationFakeQuant a : net.activationQuantizers()) {
      if (!a.isQuantized()) {
        continue;
      }
      ActivationQuantization q = ActivationQuantization.of(a, a.getClass());
      putScalar(tensors, dtypes, a.name() + ".scale", q.scale());
      putScalar(tensors, dtypes, a.name() + ".zero_point", q.zeroPoint());
      meta.put(a.name() + ".grid", grid(q.grid()));
      a.parameters().forEach(p -> covered.add(p.name()));
      activations++;
    }
    for (Parameter p : net.parameters().values()) {
      if (!covered.contains(p.name()) && !tensors.containsKey(p.name())) {
        put(tensors, dtypes, p.name(), p.shape(), p.value().clone(), SafetensorsDtype.F32);
      }
    }
    SafetensorsWriter.write(file, tensors, meta, t -> dtypes.get(t.name()));
    return new Written(layers, activations, tensors.size());
  }

  /**
   * @param g a grid
   * @return e.g. {@code int4 [-8, 7]} or {@code uint8 [0, 255]}
   */
  static String grid(QuantGrid g) {
    return (g.signed() ? "int" : "uint") + g.bits() + " [" + g.qmin() + ", " + g.qmax() + "]";
  }

  private static long[] rows(IntegerWeights w) {
    return new long[] {w.scale().length};
  }

  private static float[] floats(int[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = v[i];
    }
    return f;
  }

  private static void putScalar(
      Map<String, NamedTensor> tensors,
      Map<String, SafetensorsDtype> dtypes,
      String name,
      float v) {
    put(tensors, dtypes, name, new long[] {1}, new float[] {v}, SafetensorsDtype.F32);
  }

  private static void put(
      Map<String, NamedTensor> tensors,
      Map<String, SafetensorsDtype> dtypes,
      String name,
      long[] shape,
      float[] data,
      SafetensorsDtype dtype) {
    tensors.put(name, new NamedTensor(name, shape, data));
    dtypes.put(name, dtype);
  }
}
