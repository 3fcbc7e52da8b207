package org.efqat.core.nn;

import java.util.List;
import org.efqat.api.backend.Backend;

/** The shared part of layers without parameters: a name and reusable backend buffers. */
abstract class StatelessLayer implements Layer {
  private final String name;

  /** This layer's work buffers. */
  final TensorCache cache;

  StatelessLayer(Backend backend, String name) {
    this.name = name;
    this.cache = new TensorCache(backend);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<Parameter> parameters() {
    return List.of();
  }

  @Override
  public void release() {
    cache.release();
  }
}
