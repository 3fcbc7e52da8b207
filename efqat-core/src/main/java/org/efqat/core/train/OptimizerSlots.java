package org.efqat.core.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.Parameter;

/**
 * An optimizer's per-parameter state arrays ("slots": SGD's velocity, AdamW's moments), each the
 * size of its parameter, kept where the parameter is: a backend tensor while the parameter is
 * {@linkplain Parameter#isResident resident} (so the update runs there and nothing moves), else a
 * heap array. A slot follows its parameter: it is uploaded the first time the parameter is resident
 * and downloaded the first time it is not (or at {@link #release}).
 */
final class OptimizerSlots {
  private final Map<String, float[]> heap = new LinkedHashMap<>();
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, TensorOps> owners = new LinkedHashMap<>();

  /**
   * @return the slot as a tensor on the parameter's backend (zeros when new)
   */
  Tensor tensor(Parameter p, String slot) {
    String key = OptimizerState.key(p, slot);
    TensorOps ops = p.residentOps();
    Tensor t = tensors.get(key);
    if (t != null && owners.get(key) != ops) {
      download(key);
      t = null;
    }
    if (t == null) {
      float[] values = heap.remove(key);
      long[] shape = {p.size()};
      t = values == null ? ops.zeros(shape) : ops.fromArray(values, shape);
      tensors.put(key, t);
      owners.put(key, ops);
    }
    return t;
  }

  /**
   * @return the slot as a heap array (zeros when new)
   */
  float[] heap(Parameter p, String slot) {
    String key = OptimizerState.key(p, slot);
    if (tensors.containsKey(key)) {
      download(key);
    }
    return heap.computeIfAbsent(key, k -> new float[p.size()]);
  }

  /**
   * @return every slot, keyed {@code <parameter>/<slot>}; copies (tensors downloaded, left where
   *     they are)
   */
  Map<String, float[]> snapshot() {
    Map<String, float[]> out = new LinkedHashMap<>();
    heap.forEach((k, v) -> out.put(k, v.clone()));
    tensors.forEach((k, t) -> out.put(k, owners.get(k).toArray(t)));
    return out;
  }

  /**
   * Replaces every slot by the saved arrays, on the heap until their parameter next trains.
   *
   * @param saved the arrays by key, each checked against its parameter's size
   * @param parameters the parameters
   * @param slots the slot names to take
   */
  void restore(Map<String, float[]> saved, List<Parameter> parameters, List<String> slots) {
    release();
    heap.clear();
    for (Parameter p : parameters) {
      for (String slot : slots) {
        float[] v = OptimizerState.take(saved, p, slot, p.size());
        if (v != null) {
          heap.put(OptimizerState.key(p, slot), v);
        }
      }
    }
  }

  /** Downloads every tensor slot to the heap and frees the tensors. */
  void release() {
    for (String key : List.copyOf(tensors.keySet())) {
      download(key);
    }
  }

  private void download(String key) {
    Tensor t = tensors.remove(key);
    TensorOps ops = owners.remove(key);
    heap.put(key, ops.toArray(t));
    t.close();
  }
}
