package org.efqat.core.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a checkpoint's tensors to the model's names through a {@link CheckpointKeyMap}, and
 * reports a mismatch as one error: the missing names (each with its closest unexpected name), the
 * unexpected names, the tensors of the wrong shape, and a preset that would fit better.
 *
 * <p>The closest unexpected name to a missing one is the one at the smallest Levenshtein distance,
 * the earlier in the file of equals: among the unexpected tensors of the missing tensor's shape
 * within half the longer name's length, else among all within a third, else none.
 */
final class KeyMatch {
  /** At most this many names of each kind are listed. */
  static final int MAX_LISTED = 10;

  private KeyMatch() {}

  /**
   * @param file the checkpoint, for messages
   * @param tensors the file's tensors by the file's names, in header order
   * @param keys how to rename them
   * @return the same tensors (still carrying the file's names) by the model's names, in header
   *     order
   * @throws CheckpointException when two tensors rename to the same name
   */
  static Map<String, NamedTensor> rename(
      Path file, Map<String, NamedTensor> tensors, CheckpointKeyMap keys) {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (NamedTensor t : tensors.values()) {
      String name = keys.apply(t.name());
      NamedTensor before = out.put(name, t);
      if (before != null) {
        throw new CheckpointException(
            file
                + ": tensors "
                + before.name()
                + " and "
                + t.name()
                + " both become "
                + name
                + " after renaming by "
                + keys.describe());
      }
    }
    return out;
  }

  /**
   * @param file the checkpoint, for messages
   * @param tensors the file's tensors by the file's names, in header order
   * @param expected every name the model needs, with its shape (PyTorch layout), in model order
   * @param keys how the names are renamed
   * @return the tensors by the model's names
   * @throws CheckpointException when a name is missing or unexpected, or a shape differs
   */
  static Map<String, NamedTensor> require(
      Path file,
      Map<String, NamedTensor> tensors,
      Map<String, long[]> expected,
      CheckpointKeyMap keys) {
    Map<String, NamedTensor> renamed = rename(file, tensors, keys);
    List<String> missing = new ArrayList<>();
    List<String> misshapen = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      NamedTensor t = renamed.get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
      } else if (!Arrays.equals(t.shape(), e.getValue())) {
        misshapen.add(
            e.getKey()
                + fileName(e.getKey(), t)
                + " "
                + t.shapeString()
                + ", expected "
                + Arrays.toString(e.getValue()));
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : renamed.keySet()) {
      if (!expected.containsKey(name)) {
        unexpected.add(name);
      }
    }
    if (missing.isEmpty() && unexpected.isEmpty() && misshapen.isEmpty()) {
      return renamed;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(file)
        .append(": checkpoint does not match the model (")
        .append(keys.describe())
        .append("): ")
        .append(missing.size())
        .append(" missing, ")
        .append(unexpected.size())
        .append(" unexpected, ")
        .append(misshapen.size())
        .append(" of the wrong shape");
    for (int i = 0; i < Math.min(MAX_LISTED, missing.size()); i++) {
      String name = missing.get(i);
      sb.append("\n  missing    ").append(name).append(' ').append(shape(expected.get(name)));
      String closest = closest(name, expected.get(name), unexpected, renamed);
      if (closest != null) {
        sb.append(", closest unexpected: ").append(closest);
      }
    }
    more(sb, missing.size(), "missing");
    for (int i = 0; i < Math.min(MAX_LISTED, unexpected.size()); i++) {
      String name = unexpected.get(i);
      NamedTensor t = renamed.get(name);
      sb.append("\n  unexpected ")
          .append(name)
          .append(fileName(name, t))
          .append(' ')
          .append(t.shapeString());
    }
    more(sb, unexpected.size(), "unexpected");
    for (int i = 0; i < Math.min(MAX_LISTED, misshapen.size()); i++) {
      sb.append("\n  shape      ").append(misshapen.get(i));
    }
    more(sb, misshapen.size(), "of the wrong shape");
    if (!missing.isEmpty()) {
      sb.append(hint(tensors, expected, keys, expected.size() - missing.size()));
    }
    throw new CheckpointException(sb.toString());
  }

  private static String shape(long[] shape) {
    return Arrays.toString(shape);
  }

  private static String fileName(String name, NamedTensor t) {
    return name.equals(t.name()) ? "" : " (in the file: " + t.name() + ")";
  }

  private static void more(StringBuilder sb, int count, String what) {
    if (count > MAX_LISTED) {
      sb.append("\n  and ").append(count - MAX_LISTED).append(" more ").append(what);
    }
  }

  /** The best other preset, when it matches more of the model's names than {@code keys} does. */
  private static String hint(
      Map<String, NamedTensor> tensors,
      Map<String, long[]> expected,
      CheckpointKeyMap keys,
      int matched) {
    List<CheckpointKeyMap> candidates = new ArrayList<>();
    for (CheckpointKeyMap.Preset p : CheckpointKeyMap.Preset.values()) {
      candidates.add(keys.withPreset(p));
    }
    candidates.add(keys.withPreset(null));
    CheckpointKeyMap best = null;
    int bestMatched = matched;
    for (CheckpointKeyMap c : candidates) {
      if (c.equals(keys)) {
        continue;
      }
      Set<String> names = new HashSet<>();
      for (String n : tensors.keySet()) {
        names.add(c.apply(n));
      }
      int m = 0;
      for (String n : expected.keySet()) {
        m += names.contains(n) ? 1 : 0;
      }
      if (m > bestMatched) {
        best = c;
        bestMatched = m;
      }
    }
    if (best == null) {
      return "";
    }
    String counts = bestMatched + " of " + expected.size() + " names match";
    return best.preset() == null
        ? "\n  hint: without a preset " + counts
        : "\n  hint: " + best.describe() + " may fit: " + counts + " after renaming";
  }

  /**
   * @return the nearest unexpected name among those of the missing tensor's shape, else among all,
   *     or {@code null} when none is near
   */
  private static String closest(
      String name, long[] shape, List<String> unexpected, Map<String, NamedTensor> renamed) {
    List<String> sameShape = new ArrayList<>();
    for (String u : unexpected) {
      if (Arrays.equals(renamed.get(u).shape(), shape)) {
        sameShape.add(u);
      }
    }
    String c = closest(name, sameShape, 2);
    return c != null ? c : closest(name, unexpected, 3);
  }

  /**
   * @param name a name
   * @param candidates names to choose from
   * @param part the largest distance allowed is the longer name's length divided by this
   * @return the candidate nearest to {@code name}, the first of equals, or {@code null} when none
   *     is near
   */
  static String closest(String name, List<String> candidates, int part) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = levenshtein(name, c);
      if (d < bestDistance && part * d <= Math.max(name.length(), c.length())) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** The number of single-character insertions, deletions and substitutions from a to b. */
  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
