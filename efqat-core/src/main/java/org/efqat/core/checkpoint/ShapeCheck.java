package org.efqat.core.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Checks loaded tensors against the names and shapes a model expects, before any weight is copied,
 * so that a mismatched checkpoint fails with every problem listed rather than with the first index
 * error.
 *
 * <p>Policy: a missing tensor, a tensor of another shape, and a tensor the model does not expect
 * are all errors; extra tensors can be ignored explicitly by a predicate, typically {@link
 * #isNumBatchesTracked} for PyTorch BatchNorm counters.
 */
public final class ShapeCheck {
  /** At most this many problems are spelled out in the exception message. */
  static final int MAX_LISTED = 20;

  private ShapeCheck() {}

  /**
   * Checks with no extra tensor allowed.
   *
   * @param tensors what was loaded, by name
   * @param expected every name the model needs, with its shape (PyTorch layout)
   * @throws CheckpointException listing every problem
   */
  public static void expect(Map<String, NamedTensor> tensors, Map<String, long[]> expected) {
    expect(tensors, expected, name -> false);
  }

  /**
   * Checks, ignoring the extra tensors a predicate accepts.
   *
   * @param tensors what was loaded, by name
   * @param expected every name the model needs, with its shape (PyTorch layout)
   * @param ignoreExtra true for the names of unexpected tensors that are not an error, for example
   *     {@code ShapeCheck::isNumBatchesTracked}
   * @throws CheckpointException listing every problem, as {@code checkpoint does not match the
   *     model (2 problems): fc.weight: shape [10, 32] expected [10, 64]; missing tensor
   *     layers.3.short.0.weight}
   */
  public static void expect(
      Map<String, NamedTensor> tensors,
      Map<String, long[]> expected,
      Predicate<String> ignoreExtra) {
    List<String> problems = problems(tensors, expected, ignoreExtra);
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder("checkpoint does not match the model (");
    sb.append(problems.size()).append(problems.size() == 1 ? " problem): " : " problems): ");
    sb.append(String.join("; ", problems.subList(0, Math.min(MAX_LISTED, problems.size()))));
    if (problems.size() > MAX_LISTED) {
      sb.append("; and ").append(problems.size() - MAX_LISTED).append(" more");
    }
    throw new CheckpointException(sb.toString());
  }

  /**
   * The problems {@link #expect} reports: shape mismatches and missing tensors in the order of
   * {@code expected}, then unexpected tensors in the order of {@code tensors}.
   *
   * @param tensors what was loaded, by name
   * @param expected every name the model needs, with its shape
   * @param ignoreExtra true for unexpected names that are not an error
   * @return one line per problem, empty when the tensors match
   */
  public static List<String> problems(
      Map<String, NamedTensor> tensors,
      Map<String, long[]> expected,
      Predicate<String> ignoreExtra) {
    Objects.requireNonNull(tensors, "tensors is null");
    Objects.requireNonNull(expected, "expected is null");
    Objects.requireNonNull(ignoreExtra, "ignoreExtra is null");
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      long[] want = Objects.requireNonNull(e.getValue(), "expected shape of " + e.getKey());
      NamedTensor t = tensors.get(e.getKey());
      if (t == null) {
        problems.add("missing tensor " + e.getKey());
      } else if (!Arrays.equals(t.shape(), want)) {
        problems.add(
            e.getKey()
                + ": shape "
                + Arrays.toString(t.shape())
                + " expected "
                + Arrays.toString(want));
      }
    }
    for (Map.Entry<String, NamedTensor> e : tensors.entrySet()) {
      if (!expected.containsKey(e.getKey()) && !ignoreExtra.test(e.getKey())) {
        problems.add(
            "unexpected tensor " + e.getKey() + " " + Arrays.toString(e.getValue().shape()));
      }
    }
    return problems;
  }

  /**
   * @param name a tensor name
   * @return whether it is a PyTorch BatchNorm step counter ({@code ...num_batches_tracked}, an I64
   *     scalar no forward pass reads)
   */
  public static boolean isNumBatchesTracked(String name) {
    return name.equals("num_batches_tracked") || name.endsWith(".num_batches_tracked");
  }
}
