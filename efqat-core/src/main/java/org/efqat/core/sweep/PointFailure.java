package org.efqat.core.sweep;

/**
 * Why a sweep point's last attempt failed, kept as {@value #FILE} in its run folder until it
 * finishes.
 *
 * @param error the one-line error
 * @param at when, ISO-8601
 */
public record PointFailure(String error, String at) {
  /** The file in the point's run folder. */
  public static final String FILE = "failure.json";
}
