package org.efqat.core.nn.transformer;

import java.util.Arrays;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.ParamKind;
import org.efqat.core.nn.Parameter;
import org.efqat.core.nn.TensorCache;

/**
 * One embedding table {@code [V, D]} ({@link ParamKind#EMBEDDING}) looked up by row.
 *
 * <p>While the table is {@linkplain Parameter#isResident resident} on the backend (training), a
 * lookup is {@code TensorOps.gatherRows} from it and the backward pass {@code
 * TensorOps.scatterAddRows} into its gradient: nothing crosses between heap and backend. On the
 * heap, a lookup moves only the rows the batch uses. Forward: the distinct ids {@code U} of the
 * batch are copied to a compact table {@code [|U|, D]} on the backend, and {@code
 * TensorOps.gatherRows} expands it to {@code [n, D]}. Backward: {@code TensorOps.scatterAddRows}
 * sums the output gradient of repeated ids into {@code [|U|, D]}, which is added to the heap
 * gradient's rows {@code U}. Transfers are {@code O(|U|·D)}, never {@code O(V·D)}.
 */
final class EmbeddingTable {
  private final Parameter table;
  private final TensorCache cache;
  private final String role;
  private int[] distinct;
  private int[] compactIndex;
  private int[] lastIds;

  /**
   * @param name the checkpoint name, for example {@code embeddings.word_embeddings.weight}
   * @param rows {@code V}
   * @param dim {@code D}
   * @param values the initial table, {@code V·D} values; owned from now on
   * @param cache the owning layer's buffers
   */
  EmbeddingTable(String name, int rows, int dim, float[] values, TensorCache cache) {
    this.table = new Parameter(name, ParamKind.EMBEDDING, values, rows, dim);
    this.cache = cache;
    this.role = name;
  }

  Parameter parameter() {
    return table;
  }

  /**
   * @param ids {@code n} row numbers in {@code [0, V)}
   * @param out {@code [n, D]}, overwritten with the rows
   */
  void lookup(int[] ids, Tensor out) {
    TensorOps ops = cache.backend().ops();
    if (table.isResident()) {
      lastIds = ids.clone();
      ops.gatherRows(table.valueTensor(), lastIds, out);
      return;
    }
    lastIds = null;
    distinct = Arrays.stream(ids).distinct().sorted().toArray();
    compactIndex = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      compactIndex[i] = Arrays.binarySearch(distinct, ids[i]);
    }
    int d = table.rowSize();
    float[] rows = new float[distinct.length * d];
    float[] values = table.value();
    for (int u = 0; u < distinct.length; u++) {
      System.arraycopy(values, distinct[u] * d, rows, u * d, d);
    }
    Tensor compact = cache.get(role + ".rows", distinct.length, d);
    ops.copyFrom(rows, compact);
    ops.gatherRows(compact, compactIndex, out);
  }

  /**
   * Adds the gradient of the last lookup to the table's gradient.
   *
   * @param gradOut {@code [n, D]}, the gradient w.r.t. the looked-up rows
   */
  void accumulateGradient(Tensor gradOut) {
    TensorOps ops = cache.backend().ops();
    if (lastIds != null) {
      ops.scatterAddRows(gradOut, lastIds, table.gradTensor());
      return;
    }
    int d = table.rowSize();
    Tensor compact = cache.get(role + ".rows_grad", distinct.length, d);
    ops.copyFrom(new float[distinct.length * d], compact);
    ops.scatterAddRows(gradOut, compactIndex, compact);
    float[] sums = ops.toArray(compact);
    float[] grad = table.grad();
    for (int u = 0; u < distinct.length; u++) {
      int base = distinct[u] * d;
      for (int j = 0; j < d; j++) {
        grad[base + j] += sums[u * d + j];
      }
    }
  }
}
