package org.efqat.api.spi;

import java.util.regex.Pattern;

/** The rule for component names: lower-kebab-case, {@code [a-z][a-z0-9-]{0,63}}. */
public final class ComponentNames {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  private ComponentNames() {}

  /**
   * @param name a candidate name
   * @return whether it is a valid component name
   */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Checks a name.
   *
   * @param name a candidate name
   * @param owner the class that declares it, for the message
   * @return {@code name}
   * @throws IllegalArgumentException if the name is not lower-kebab-case
   */
  public static String check(String name, Class<?> owner) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "component name '"
              + name
              + "' of "
              + owner.getName()
              + " is not lower-kebab-case [a-z][a-z0-9-]{0,63}");
    }
    return name;
  }
}
