package com.example.efqat.tiny;

import org.efqat.api.spi.ConfigValueException;

/**
 * Options of {@code tiny-mlp}.
 *
 * @param hidden hidden units, in {@code [1, 4096]}; default {@value #DEFAULT_HIDDEN}
 */
public record TinyMlpConfig(Integer hidden) {
  /** The default hidden width. */
  public static final int DEFAULT_HIDDEN = 32;

  /** Applies the default and validates. */
  public TinyMlpConfig {
    hidden = hidden == null ? DEFAULT_HIDDEN : hidden;
    ConfigValueException.requireInRange("hidden", hidden, 1, 4096);
  }
}
