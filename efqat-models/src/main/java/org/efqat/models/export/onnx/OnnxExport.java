package org.efqat.models.export.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;

/**
 * An exported model.
 *
 * @param model the ONNX model
 * @param opset the default domain's opset
 * @param input what it takes: {@code input [N, C, H, W]} or {@code input_ids [N, L]}
 * @param inputDims the input's shape, {@code -1} for the batch
 * @param classes the logits' width: the output is {@code logits [N, classes]}
 * @param opCounts nodes per operator, in order of first use
 * @param storage how the quantizers are stored
 */
public record OnnxExport(
    ModelProto model,
    int opset,
    OnnxInput input,
    long[] inputDims,
    int classes,
    Map<String, Integer> opCounts,
    QdqSummary storage) {
  /** The graph output's name. */
  public static final String OUTPUT = "logits";

  /** Checks for nulls. */
  public OnnxExport {
    Objects.requireNonNull(model, "model is null");
    Objects.requireNonNull(input, "input is null");
    inputDims = inputDims.clone();
  }

  @Override
  public long[] inputDims() {
    return inputDims.clone();
  }

  /**
   * @return the number of nodes
   */
  public int nodes() {
    return model.getGraph().getNodeCount();
  }

  /**
   * Writes the model atomically: to a temporary file in the same folder, then moved over {@code
   * file}.
   *
   * @param file the target; its folder must exist
   * @return the bytes written
   * @throws IOException if it cannot be written
   */
  public long write(Path file) throws IOException {
    byte[] bytes = model.toByteArray();
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return bytes.length;
  }
}
