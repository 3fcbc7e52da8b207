package org.efqat.experiments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backend named on the command line ({@code --backends} of {@code efqat bench} and {@code efqat
 * compare}): a registered name, optionally with options after a colon, {@code
 * name:key=value[;key=value...]}, so that two placements of one backend can be timed or compared
 * side by side ({@code --backends tf,tf:kernels=device}).
 */
public final class BackendArgument {
  private BackendArgument() {}

  /**
   * @param argument {@code name} or {@code name:key=value[;key=value...]}
   * @return the value of the experiment's {@code backend:} key: the name itself, or a map of its
   *     {@code type} and options (validated by the backend's config record like YAML)
   * @throws IllegalArgumentException naming the argument if an option is not {@code key=value}
   */
  public static Object override(String argument) {
    int colon = argument.indexOf(':');
    if (colon < 0) {
      return argument;
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("type", argument.substring(0, colon));
    for (String option : argument.substring(colon + 1).split(";")) {
      int eq = option.indexOf('=');
      if (eq <= 0 || eq == option.length() - 1) {
        throw new IllegalArgumentException(
            "--backends: expected name:key=value[;key=value...] (was '" + argument + "')");
      }
      spec.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
    }
    return spec;
  }

  /**
   * @param argument a backend argument
   * @return it as part of a run or file name: {@code tf:kernels=device} is {@code
   *     tf-kernels-device}
   */
  public static String slug(String argument) {
    return argument.replaceAll("[^A-Za-z0-9._-]+", "-");
  }
}
