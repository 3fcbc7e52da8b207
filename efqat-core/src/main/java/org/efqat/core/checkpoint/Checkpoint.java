package org.efqat.core.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tensors and metadata of one checkpoint file.
 *
 * @param tensors FP32 tensors by name, in the order of the file's header, unmodifiable
 * @param metadata the file's {@code __metadata__} string map, empty when absent, unmodifiable
 */
public record Checkpoint(Map<String, NamedTensor> tensors, Map<String, String> metadata) {
  /** Copies both maps, keeping their order, into unmodifiable maps. */
  public Checkpoint {
    Objects.requireNonNull(tensors, "tensors is null");
    Objects.requireNonNull(metadata, "metadata is null");
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * @param name a tensor name
   * @return the tensor
   * @throws CheckpointException when the checkpoint has no tensor of that name
   */
  public NamedTensor get(String name) {
    NamedTensor t = tensors.get(name);
    if (t == null) {
      throw new CheckpointException("missing tensor " + name);
    }
    return t;
  }
}
