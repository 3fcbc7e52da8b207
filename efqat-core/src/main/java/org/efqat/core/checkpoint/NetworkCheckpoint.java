package org.efqat.core.checkpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.efqat.core.nn.Network;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.WeightLayer;

/**
 * Saves and loads a {@link Network}'s parameters as safetensors with PyTorch's {@code state_dict}
 * names and layouts: convolution weights are stored {@code [C_out, C_in, k, k]} (the network keeps
 * them {@code [C_out, k·k·C_in]} in {@code (ky, kx, c_in)} order and converts here). Quantizer
 * parameters are saved as {@code <layer>.weight_step}, {@code .weight_zero_point}, {@code
 * .input_step} and {@code .input_zero_point}.
 */
public final class NetworkCheckpoint {
  private NetworkCheckpoint() {}

  /**
   * @param network the network
   * @param file the safetensors file, written atomically
   * @param dtype {@code F32} or {@code F16}
   * @param metadata string metadata for the header
   */
  public static void save(
      Network network, Path file, SafetensorsDtype dtype, Map<String, String> metadata) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    Map<String, WeightLayer> convs = convWeights(network);
    for (Parameter p : network.parameters().values()) {
      WeightLayer conv = convs.get(p.name());
      if (conv != null) {
        out.put(p.name(), new NamedTensor(p.name(), torchShape(conv), toTorch(conv, p.value())));
      } else {
        out.put(p.name(), new NamedTensor(p.name(), p.shape(), p.value().clone()));
      }
    }
    SafetensorsWriter.write(file, out, metadata, dtype);
  }

  /**
   * Loads every parameter of the network from a checkpoint with PyTorch names; the checkpoint must
   * have exactly the network's tensors (BatchNorm's {@code num_batches_tracked} is ignored).
   *
   * @param network the network, already built with the right architecture
   * @param file the safetensors file
   * @throws CheckpointException naming the file and the first missing, extra or misshapen tensor
   */
  public static void load(Network network, Path file) {
    Predicate<String> include = name -> !ShapeCheck.isNumBatchesTracked(name);
    Checkpoint ckpt = SafetensorsReader.read(file, include);
    Map<String, WeightLayer> convs = convWeights(network);
    Map<String, long[]> expected = new LinkedHashMap<>();
    for (Parameter p : network.parameters().values()) {
      WeightLayer conv = convs.get(p.name());
      expected.put(p.name(), conv != null ? torchShape(conv) : p.shape());
    }
    try {
      ShapeCheck.expect(ckpt.tensors(), expected);
    } catch (CheckpointException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
    for (Parameter p : network.parameters().values()) {
      float[] data = ckpt.get(p.name()).data();
      WeightLayer conv = convs.get(p.name());
      System.arraycopy(
          conv != null ? fromTorch(conv, data) : data, 0, p.value(), 0, p.value().length);
    }
  }

  private static Map<String, WeightLayer> convWeights(Network network) {
    Map<String, WeightLayer> m = new LinkedHashMap<>();
    for (WeightLayer l : network.weightLayers()) {
      if (l.kernel() > 1 || l instanceof org.efqat.core.nn.Conv2d) {
        m.put(l.weight().name(), l);
      }
    }
    return m;
  }

  private static long[] torchShape(WeightLayer l) {
    return new long[] {l.outChannels(), l.inChannels(), l.kernel(), l.kernel()};
  }

  /** {@code [C_out, (ky, kx, c)]} → {@code [C_out, c, ky, kx]}. */
  static float[] toTorch(WeightLayer l, float[] ours) {
    int k = l.kernel();
    int cin = l.inChannels();
    float[] t = new float[ours.length];
    int row = k * k * cin;
    for (int r = 0; r < l.outChannels(); r++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          for (int c = 0; c < cin; c++) {
            t[r * row + (c * k + ky) * k + kx] = ours[r * row + (ky * k + kx) * cin + c];
          }
        }
      }
    }
    return t;
  }

  /** {@code [C_out, c, ky, kx]} → {@code [C_out, (ky, kx, c)]}. */
  static float[] fromTorch(WeightLayer l, float[] torch) {
    int k = l.kernel();
    int cin = l.inChannels();
    float[] o = new float[torch.length];
    int row = k * k * cin;
    for (int r = 0; r < l.outChannels(); r++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          for (int c = 0; c < cin; c++) {
            o[r * row + (ky * k + kx) * cin + c] = torch[r * row + (c * k + ky) * k + kx];
          }
        }
      }
    }
    return o;
  }
}
