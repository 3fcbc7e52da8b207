package org.efqat.models.export.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.efqat.api.quant.QuantGrid;
import org.efqat.core.nn.ActivationFakeQuant;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.ResidualBlock;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.nn.transformer.PostNormResidual;
import org.efqat.core.nn.transformer.TransformerEncoder;
import org.efqat.models.export.onnx.Value.Layout;

/**
 * Writes a quantized {@link Network} as an ONNX model in the QDQ form: every quantizer becomes
 * {@code QuantizeLinear}/{@code DequantizeLinear} with its scale and zero point (see {@link
 * QdqEmitter} for the exact mapping), every other layer the float operator it computes. The model's
 * output {@code logits [N, classes]} is, up to floating-point summation order, the fake-quantized
 * network's.
 *
 * <table>
 *   <caption>ONNX nodes per layer type</caption>
 *   <tr><th>Layer</th><th>Nodes</th></tr>
 *   <tr><td>{@code Conv2d} (quantized)</td><td>input: [Add] → [Clip] → QuantizeLinear →
 *       DequantizeLinear → [Add]; weight: INT8/INT4 initializer → DequantizeLinear (axis 0,
 *       per-row scale and zero point) → Conv (float bias)</td></tr>
 *   <tr><td>{@code Linear} (quantized)</td><td>the same with Gemm (transB = 1) on rows {@code [N·h·w,
 *       C_in]}</td></tr>
 *   <tr><td>{@code ReLU}, {@code Gelu}</td><td>Relu; x·½·(1 + Erf(x/√2))</td></tr>
 *   <tr><td>{@code MaxPool2d}, {@code AvgPool2d}, {@code GlobalAvgPool}</td><td>MaxPool,
 *       AveragePool (count_include_pad = 1), GlobalAveragePool</td></tr>
 *   <tr><td>{@code Flatten}</td><td>Transpose to NHWC → Reshape (our NHWC order)</td></tr>
 *   <tr><td>{@code ResidualBlock}</td><td>main, shortcut, Add, Relu</td></tr>
 *   <tr><td>{@code Dropout}</td><td>nothing (the identity at inference)</td></tr>
 *   <tr><td>{@code BertEmbeddings}</td><td>Gather(words, ids) + Gather(positions, 0..L−1) +
 *       Gather(token types, 0)</td></tr>
 *   <tr><td>{@code LayerNorm}, {@code PostNormResidual}</td><td>LayerNormalization (opset 17);
 *       Add then LayerNormalization</td></tr>
 *   <tr><td>{@code SelfAttention}</td><td>three Gemm projections, Reshape/Transpose into heads,
 *       [QDQ on Q, K, V], MatMul, Mul(1/√d), Add(mask bias), Softmax, [QDQ on P], MatMul,
 *       Transpose/Reshape</td></tr>
 *   <tr><td>{@code TokenPooling}</td><td>first: Gather(axis 1, 0); mean: MatMul with the token
 *       mask divided by the token count</td></tr>
 * </table>
 *
 * A layer type not in the table, an unfolded {@code BatchNorm2d}, or a quantizer that is not affine
 * is an {@link OnnxExportException} naming the layer and its class.
 */
public final class OnnxExporter {
  /** The lowest opset written (per-axis DequantizeLinear, Erf, ReduceSum with axes input). */
  public static final int MIN_OPSET = 13;

  /** The opset of LayerNormalization. */
  public static final int LAYER_NORM_OPSET = 17;

  /** The highest opset written, the first with INT4 and UINT4. */
  public static final int MAX_OPSET = IntType.INT4_OPSET;

  private OnnxExporter() {}

  /**
   * @param net a network, normally quantized (PTQ or EfQAT); full-precision weight layers are
   *     written with FP32 weights
   * @param options the opset
   * @return the model and what it holds
   * @throws OnnxExportException naming the layer if a layer has no ONNX form, or if the opset asked
   *     for is too low for the graph
   */
  public static OnnxExport export(Network net, OnnxExportOptions options) {
    Objects.requireNonNull(net, "net is null");
    Objects.requireNonNull(options, "options is null");
    int opset = opset(net, options);
    FeatureShape sample = net.inputShape();
    boolean tokens =
        !net.body().layers().isEmpty() && net.body().layers().get(0) instanceof TransformerEncoder;
    OnnxInput input = tokens ? OnnxInput.TOKEN_IDS : OnnxInput.IMAGES_NCHW;
    long[] dims =
        tokens ? new long[] {-1, sample.w()} : new long[] {-1, sample.c(), sample.h(), sample.w()};
    OnnxGraphBuilder b = new OnnxGraphBuilder(net.architecture());
    b.input(
        input.valueName(),
        tokens ? TensorProto.DataType.INT64_VALUE : TensorProto.DataType.FLOAT_VALUE,
        dims);
    ExportNotes notes = new ExportNotes();
    LayerEmitter emitter =
        new LayerEmitter(b, new QdqEmitter(b, opset, options.int4Activations(), notes));
    FeatureShape shape = new FeatureShape(1, sample.h(), sample.w(), sample.c()); // n: symbolic
    Value in = new Value(input.valueName(), tokens ? Layout.TOKEN_IDS : Layout.NCHW, shape);
    Value out = emitter.emit(net.body(), in);
    FeatureShape s = out.shape();
    if (s.h() * s.w() != 1 || s.c() != net.classes() || out.layout() == Layout.TOKEN_IDS) {
      throw new OnnxExportException(
          net.architecture()
              + ": the network's output is "
              + s
              + ", expected logits [n, 1, 1, "
              + net.classes()
              + "]");
    }
    Value rows = emitter.toRows(out);
    b.node("Identity", OnnxExport.OUTPUT, List.of(rows.name()));
    b.output(OnnxExport.OUTPUT, TensorProto.DataType.FLOAT_VALUE, -1, net.classes());
    String doc =
        "EfQAT-Java export of "
            + net.architecture()
            + ": QDQ form of the fake-quantized network (per-row weight scales on axis 0,"
            + " per-tensor activation scales)";
    return new OnnxExport(
        b.build(opset, doc), opset, input, dims, net.classes(), b.opCounts(), notes.summary());
  }

  /** The opset asked for, or the lowest the graph needs. */
  private static int opset(Network net, OnnxExportOptions options) {
    List<Layer> all = new ArrayList<>();
    leaves(net.body(), all);
    boolean layerNorm = all.stream().anyMatch(l -> l instanceof LayerNorm);
    int needed = layerNorm ? LAYER_NORM_OPSET : MIN_OPSET;
    if (options.opset() != null) {
      if (options.opset() < needed) {
        throw new OnnxExportException(
            net.architecture()
                + ": opset "
                + options.opset()
                + " is too low; its LayerNorm needs LayerNormalization (opset "
                + LAYER_NORM_OPSET
                + ")");
      }
      return options.opset();
    }
    return hasFourBitGrid(net, options.int4Activations()) ? Math.max(needed, MAX_OPSET) : needed;
  }

  /** Whether a grid that would be stored in 4 bits has exactly 4 bits. */
  private static boolean hasFourBitGrid(Network net, boolean activations) {
    List<QuantGrid> grids = new ArrayList<>();
    for (WeightLayer l : net.weightLayers()) {
      if (l.quantization() != null) {
        grids.add(l.quantization().weights().grid());
        if (activations) {
          grids.add(l.quantization().inputs().grid());
        }
      }
    }
    for (ActivationFakeQuant a : net.activationQuantizers()) {
      if (activations && a.isQuantized()) {
        grids.add(a.quantizer().grid());
      }
    }
    return grids.stream().anyMatch(g -> g.bits() == 4);
  }

  /** Every layer of the tree, composite ones and their children. */
  private static void leaves(Layer l, List<Layer> into) {
    into.add(l);
    if (l instanceof Sequential s) {
      s.layers().forEach(c -> leaves(c, into));
    } else if (l instanceof ResidualBlock r) {
      leaves(r.main(), into);
      if (r.shortcut() != null) {
        leaves(r.shortcut(), into);
      }
    } else if (l instanceof TransformerEncoder e) {
      e.layers().forEach(c -> leaves(c, into));
    } else if (l instanceof PostNormResidual p) {
      leaves(p.inner(), into);
      into.add(p.norm());
    }
  }
}
