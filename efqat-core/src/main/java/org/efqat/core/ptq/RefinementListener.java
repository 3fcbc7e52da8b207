package org.efqat.core.ptq;

/** Hears about each layer a {@link PtqRefinement} finished (a command line prints a line). */
@FunctionalInterface
public interface RefinementListener {
  /** Ignores everything. */
  RefinementListener NONE = (refinement, layer) -> {};

  /**
   * @param refinement the refinement's name, for example {@code adaround}
   * @param layer what it did to one layer
   */
  void layerRefined(String refinement, LayerReport layer);
}
