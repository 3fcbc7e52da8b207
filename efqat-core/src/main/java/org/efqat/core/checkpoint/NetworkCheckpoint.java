package org.efqat.core.checkpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
   * Loads every parameter of the network from a checkpoint with the network's own PyTorch names;
   * see {@link #load(Network, Path, CheckpointKeyMap)}.
   *
   * @param network the network, already built with the right architecture
   * @param file the safetensors file
   * @throws CheckpointException naming the file and every missing, extra or misshapen tensor, or
   *     the first non-finite value
   */
  public static void load(Network network, Path file) {
    load(network, file, CheckpointKeyMap.IDENTITY);
  }

  /**
   * Loads every parameter of the network from a checkpoint whose names become the network's PyTorch
   * names after renaming; the checkpoint must have exactly the network's tensors (BatchNorm's
   * {@code num_batches_tracked} is ignored) and only finite values. Nothing is copied into the
   * network unless every check passes.
   *
   * @param network the network, already built with the right architecture
   * @param file the safetensors file
   * @param keys how the file's names map to the network's, {@link CheckpointKeyMap#IDENTITY} for
   *     none
   * @throws CheckpointException naming the file and every missing, extra or misshapen tensor (with
   *     the closest names and a better-fitting preset), or the first tensor with a NaN or infinite
   *     value: {@code ckpt.safetensors: tensor fc.weight has a non-finite value (NaN) at index 17;
   *     refusing to load it}
   */
  public static void load(Network network, Path file, CheckpointKeyMap keys) {
    Objects.requireNonNull(keys, "keys is null");
    Predicate<String> include = name -> !ShapeCheck.isNumBatchesTracked(name);
    Checkpoint ckpt = SafetensorsReader.read(file, include);
    Map<String, WeightLayer> convs = convWeights(network);
    Map<String, long[]> expected = new LinkedHashMap<>();
    for (Parameter p : network.parameters().values()) {
      WeightLayer conv = convs.get(p.name());
      expected.put(p.name(), conv != null ? torchShape(conv) : p.shape());
    }
    Map<String, NamedTensor> tensors = KeyMatch.require(file, ckpt.tensors(), expected, keys);
    for (NamedTensor t : tensors.values()) {
      requireFinite(file, t);
    }
    for (Parameter p : network.parameters().values()) {
      float[] data = tensors.get(p.name()).data();
      WeightLayer conv = convs.get(p.name());
      System.arraycopy(
          conv != null ? fromTorch(conv, data) : data, 0, p.value(), 0, p.value().length);
    }
  }

  /** A NaN or infinity in a checkpoint would silently poison every later step. */
  private static void requireFinite(Path file, NamedTensor t) {
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      if (!Float.isFinite(d[i])) {
        throw new CheckpointException(
            file
                + ": tensor "
                + t.name()
                + " has a non-finite value ("
                + d[i]
                + ") at index "
                + i
                + "; refusing to load it");
      }
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
