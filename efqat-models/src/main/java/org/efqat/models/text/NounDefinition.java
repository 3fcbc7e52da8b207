package org.efqat.models.text;

import static java.util.Objects.requireNonNull;

/**
 * One example of the noun supersense task: the definition of a noun synset and its lexicographer
 * file.
 *
 * @param text the definition part of the gloss (no example sentences), trimmed, not empty
 * @param lexfile the lexicographer file number, {@value WordNetNouns#FIRST_LEXFILE}..{@value
 *     WordNetNouns#LAST_LEXFILE}
 */
public record NounDefinition(String text, int lexfile) {
  /** Validates. */
  public NounDefinition {
    requireNonNull(text, "text is null");
    if (text.isBlank()) {
      throw new IllegalArgumentException("text is blank");
    }
    WordNetNouns.classOf(lexfile); // checks the range
  }

  /**
   * @return the class index, {@code lexfile - 3}, in {@code [0, 26)}
   */
  public int label() {
    return WordNetNouns.classOf(lexfile);
  }
}
