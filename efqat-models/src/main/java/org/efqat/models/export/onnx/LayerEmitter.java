package org.efqat.models.export.onnx;

import static org.efqat.models.export.onnx.OnnxGraphBuilder.attr;
import static org.efqat.models.export.onnx.OnnxGraphBuilder.attrInts;

import ai.onnx.proto.OnnxMl.AttributeProto;
import java.util.ArrayList;
import java.util.List;
import org.efqat.api.backend.ConvGeometry;
import org.efqat.core.nn.AvgPool2d;
import org.efqat.core.nn.BatchNorm2d;
import org.efqat.core.nn.Conv2d;
import org.efqat.core.nn.Dropout;
import org.efqat.core.nn.FeatureShape;
import org.efqat.core.nn.Flatten;
import org.efqat.core.nn.Gelu;
import org.efqat.core.nn.GlobalAvgPool;
import org.efqat.core.nn.Layer;
import org.efqat.core.nn.LayerNorm;
import org.efqat.core.nn.Linear;
import org.efqat.core.nn.MaxPool2d;
import org.efqat.core.nn.ReLU;
import org.efqat.core.nn.ResidualBlock;
import org.efqat.core.nn.Sequential;
import org.efqat.core.nn.WeightLayer;
import org.efqat.core.nn.transformer.BertEmbeddings;
import org.efqat.core.nn.transformer.PostNormResidual;
import org.efqat.core.nn.transformer.SelfAttention;
import org.efqat.core.nn.transformer.TokenPooling;
import org.efqat.core.nn.transformer.TransformerEncoder;
import org.efqat.models.export.onnx.Value.Layout;

/**
 * Writes the layers of a network into a graph, one ONNX pattern per layer type (see {@link
 * OnnxExporter} for the list). Activations move between {@link Layout#NCHW} (convolutions and
 * pooling) and {@link Layout#ROWS} (Gemm, LayerNorm, attention) only where the next layer needs it;
 * the Transformer layers are delegated to {@link EncoderEmitter}.
 */
final class LayerEmitter {
  private final OnnxGraphBuilder b;
  private final QdqEmitter qdq;
  private final EncoderEmitter encoder;

  LayerEmitter(OnnxGraphBuilder b, QdqEmitter qdq) {
    this.b = b;
    this.qdq = qdq;
    this.encoder = new EncoderEmitter(b, qdq, this);
  }

  /**
   * @param l a layer
   * @param in its input
   * @return its output
   * @throws OnnxExportException naming the layer and its class if it has no ONNX form here
   */
  Value emit(Layer l, Value in) {
    if (l instanceof Sequential s) {
      Value v = in;
      for (Layer child : s.layers()) {
        v = emit(child, v);
      }
      return v;
    }
    if (l instanceof TransformerEncoder e) {
      return encoder.encoder(e, in);
    }
    if (l instanceof BertEmbeddings
        || l instanceof SelfAttention
        || l instanceof TokenPooling
        || l instanceof PostNormResidual) {
      return encoder.part(l, in);
    }
    requireNotTokens(l, in);
    if (l instanceof Conv2d c) {
      return conv(c, in);
    }
    if (l instanceof Linear f) {
      return linear(f, in);
    }
    if (l instanceof ReLU) {
      return new Value(b.node("Relu", l.name(), List.of(in.name())), in.layout(), in.shape());
    }
    if (l instanceof Gelu) {
      return gelu(l.name(), in);
    }
    if (l instanceof Dropout) {
      return in; // the identity at inference
    }
    if (l instanceof Flatten) {
      return flatten(l.name(), in);
    }
    if (l instanceof GlobalAvgPool) {
      Value x = toNchw(in);
      FeatureShape s = in.shape();
      return new Value(
          b.node("GlobalAveragePool", l.name(), List.of(x.name())),
          Layout.NCHW,
          new FeatureShape(s.n(), 1, 1, s.c()));
    }
    if (l instanceof MaxPool2d p) {
      return pool("MaxPool", p.name(), p.kernel(), p.stride(), p.pad(), in);
    }
    if (l instanceof AvgPool2d p) {
      return pool("AveragePool", p.name(), p.kernel(), p.stride(), p.pad(), in);
    }
    if (l instanceof ResidualBlock r) {
      return residual(r, in);
    }
    if (l instanceof LayerNorm n) {
      return layerNorm(n, toRows(in));
    }
    if (l instanceof BatchNorm2d) {
      throw OnnxExportException.layer(
          l.name(),
          l.getClass(),
          "an unfolded BatchNorm has no place in the QDQ form, which needs it folded into the"
              + " convolution before it; calibrate with"
              + " quantization.calibration.foldBatchNorm: true");
    }
    throw OnnxExportException.layer(
        l.name(), l.getClass(), "has no ONNX form (the exporter does not know this layer type)");
  }

  private static void requireNotTokens(Layer l, Value in) {
    if (in.layout() == Layout.TOKEN_IDS) {
      throw OnnxExportException.layer(
          l.name(), l.getClass(), "takes token ids; only a Transformer encoder can");
    }
  }

  /** Conv with DequantizeLinear weights and a QDQ input: NCHW in, NCHW out. */
  private Value conv(WeightLayer l, Value in) {
    Value x = toNchw(in);
    FeatureShape s = in.shape();
    ConvGeometry g =
        new ConvGeometry(s.n(), s.h(), s.w(), s.c(), l.kernel(), l.kernel(), l.stride(), l.pad());
    List<String> inputs = new ArrayList<>();
    inputs.add(quantizedInput(l, x.name()));
    inputs.add(weight(l, true));
    if (l.bias() != null) {
      inputs.add(b.floats(l.name() + ".bias", new long[] {l.outChannels()}, l.bias().value()));
    }
    int k = l.kernel();
    String y =
        b.node(
            "Conv",
            l.name(),
            inputs,
            attrInts("kernel_shape", k, k),
            attrInts("strides", l.stride(), l.stride()),
            attrInts("pads", l.pad(), l.pad(), l.pad(), l.pad()));
    return new Value(y, Layout.NCHW, new FeatureShape(s.n(), g.outH(), g.outW(), l.outChannels()));
  }

  /**
   * A Linear layer: {@code Gemm(x, W, b, transB = 1)} on {@code [n·h·w, C_in]} rows; on an NCHW
   * feature map with more than one position, the 1×1 convolution it is.
   */
  Value linear(WeightLayer l, Value in) {
    FeatureShape s = in.shape();
    if (in.layout() == Layout.NCHW && s.h() * s.w() > 1) {
      return conv(l, in);
    }
    Value x = toRows(in);
    List<String> inputs = new ArrayList<>();
    inputs.add(quantizedInput(l, x.name()));
    inputs.add(weight(l, false));
    if (l.bias() != null) {
      inputs.add(b.floats(l.name() + ".bias", new long[] {l.outChannels()}, l.bias().value()));
    }
    String y = b.node("Gemm", l.name(), inputs, attr("transB", 1L));
    return new Value(y, Layout.ROWS, s.withChannels(l.outChannels()));
  }

  /** The input quantizer's QDQ pair, or {@code x} for a full-precision layer. */
  private String quantizedInput(WeightLayer l, String x) {
    return l.quantization() == null ? x : qdq.activation(x, ActivationQuantization.inputOf(l));
  }

  /** The dequantized integer weights, or the FP32 weights of a full-precision layer. */
  private String weight(WeightLayer l, boolean conv) {
    if (l.quantization() != null) {
      return qdq.weight(IntegerWeights.of(l));
    }
    int k = l.kernel();
    if (conv) {
      return b.floats(
          l.name() + ".weight",
          new long[] {l.outChannels(), l.inChannels(), k, k},
          IntegerWeights.toChannelsFirst(l.weight().value(), l.outChannels(), l.inChannels(), k));
    }
    return b.floats(
        l.name() + ".weight", new long[] {l.outChannels(), l.inChannels()}, l.weight().value());
  }

  /** {@code x·½·(1 + erf(x/√2))}, the exact GELU, with {@code Erf} (every opset from 13). */
  Value gelu(String name, Value in) {
    String x = in.name();
    String scaled =
        b.node(
            "Div", name + "_scaled", List.of(x, b.scalar(name + "_sqrt2", (float) Math.sqrt(2))));
    String erf = b.node("Erf", name + "_erf", List.of(scaled));
    String onePlus = b.node("Add", name + "_one_plus", List.of(erf, b.scalar(name + "_one", 1f)));
    String times = b.node("Mul", name + "_times_x", List.of(x, onePlus));
    String y = b.node("Mul", name, List.of(times, b.scalar(name + "_half", 0.5f)));
    return new Value(y, in.layout(), in.shape());
  }

  /** NHWC {@code [n, h, w, c] → [n, h·w·c]} in NHWC order, as {@link Flatten} does. */
  private Value flatten(String name, Value in) {
    FeatureShape s = in.shape();
    FeatureShape out = new FeatureShape(s.n(), 1, 1, s.h() * s.w() * s.c());
    if (s.h() * s.w() == 1) {
      return toRows(in);
    }
    String nhwc = in.name();
    if (in.layout() == Layout.NCHW) {
      nhwc = b.node("Transpose", name + "_nhwc", List.of(nhwc), attrInts("perm", 0, 2, 3, 1));
    }
    String y = reshape(name, nhwc, -1, out.c());
    return new Value(y, Layout.ROWS, out);
  }

  private Value pool(String op, String name, int k, int stride, int pad, Value in) {
    Value x = toNchw(in);
    FeatureShape s = in.shape();
    ConvGeometry g = new ConvGeometry(s.n(), s.h(), s.w(), s.c(), k, k, stride, pad);
    List<AttributeProto> attributes = new ArrayList<>();
    attributes.add(attrInts("kernel_shape", k, k));
    attributes.add(attrInts("strides", stride, stride));
    attributes.add(attrInts("pads", pad, pad, pad, pad));
    if (op.equals("AveragePool")) {
      attributes.add(attr("count_include_pad", 1L)); // padding counts as zeros, as AvgPool2d
    }
    String y = b.node(op, name, List.of(x.name()), attributes.toArray(new AttributeProto[0]));
    return new Value(y, Layout.NCHW, new FeatureShape(s.n(), g.outH(), g.outW(), s.c()));
  }

  /** {@code relu(main(x) + shortcut(x))}. */
  private Value residual(ResidualBlock r, Value in) {
    Value m = emit(r.main(), in);
    Value s = r.shortcut() == null ? in : emit(r.shortcut(), in);
    s = m.layout() == Layout.NCHW ? toNchw(s) : toRows(s);
    String sum = b.node("Add", r.name() + ".add", List.of(m.name(), s.name()));
    return new Value(b.node("Relu", r.name() + ".relu2", List.of(sum)), m.layout(), m.shape());
  }

  /** {@code LayerNormalization} over the channels (opset 17), on rows. */
  Value layerNorm(LayerNorm n, Value rows) {
    String y =
        b.node(
            "LayerNormalization",
            n.name(),
            List.of(
                rows.name(),
                b.floats(
                    n.name() + ".weight", new long[] {n.gamma().value().length}, n.gamma().value()),
                b.floats(
                    n.name() + ".bias", new long[] {n.beta().value().length}, n.beta().value())),
            attr("axis", -1L),
            attr("epsilon", n.eps()));
    return new Value(y, Layout.ROWS, rows.shape());
  }

  /**
   * @param v a value
   * @return it as {@code [n, c, h, w]}
   */
  Value toNchw(Value v) {
    if (v.layout() == Layout.NCHW) {
      return v;
    }
    FeatureShape s = v.shape();
    if (s.h() * s.w() == 1) {
      return new Value(reshape(v.name() + "_nchw", v.name(), -1, s.c(), 1, 1), Layout.NCHW, s);
    }
    String nhwc = reshape(v.name() + "_nhwc", v.name(), -1, s.h(), s.w(), s.c());
    String y = b.node("Transpose", v.name() + "_nchw", List.of(nhwc), attrInts("perm", 0, 3, 1, 2));
    return new Value(y, Layout.NCHW, s);
  }

  /**
   * @param v a value
   * @return it as {@code [n·h·w, c]}
   */
  Value toRows(Value v) {
    if (v.layout() == Layout.ROWS) {
      return v;
    }
    FeatureShape s = v.shape();
    if (s.h() * s.w() == 1) {
      return new Value(
          b.node("Flatten", v.name() + "_rows", List.of(v.name()), attr("axis", 1L)),
          Layout.ROWS,
          s);
    }
    String nhwc =
        b.node("Transpose", v.name() + "_nhwc", List.of(v.name()), attrInts("perm", 0, 2, 3, 1));
    return new Value(reshape(v.name() + "_rows", nhwc, -1, s.c()), Layout.ROWS, s);
  }

  /**
   * @param hint the output's name hint
   * @param x the value
   * @param dims the new shape ({@code -1} once, for the batch)
   * @return {@code Reshape(x, dims)}
   */
  String reshape(String hint, String x, long... dims) {
    return b.node("Reshape", hint, List.of(x, b.int64Vector(hint + "_shape", dims)));
  }
}
