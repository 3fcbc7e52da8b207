package org.efqat.core.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.efqat.core.nn.Parameter;

/** Helpers for {@link Optimizer#state()} and {@link Optimizer#restoreState}. */
final class OptimizerState {
  private OptimizerState() {}

  static String key(Parameter p, String slot) {
    return p.name() + "/" + slot;
  }

  /**
   * @return the parameter each saved entry belongs to, checking that every entry has one of the
   *     given slots and a known parameter
   */
  static Map<String, Parameter> byName(
      Map<String, float[]> state, List<Parameter> parameters, List<String> slots) {
    Map<String, Parameter> names = new HashMap<>();
    for (Parameter p : parameters) {
      names.put(p.name(), p);
    }
    for (String key : state.keySet()) {
      int slash = key.lastIndexOf('/');
      if (slash < 0
          || !names.containsKey(key.substring(0, slash))
          || !slots.contains(key.substring(slash + 1))) {
        throw new IllegalArgumentException(
            "optimizer state '" + key + "' belongs to no trained" + " parameter and slot " + slots);
      }
    }
    return names;
  }

  static float[] take(Map<String, float[]> state, Parameter p, String slot, int length) {
    float[] v = state.get(key(p, slot));
    if (v == null) {
      return null;
    }
    if (v.length != length) {
      throw new IllegalArgumentException(
          "optimizer state '" + key(p, slot) + "' has " + v.length + " values, expected " + length);
    }
    return v.clone();
  }
}
