package org.efqat.experiments.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.efqat.core.session.Stage;

/**
 * The command lines of a sweep's parts, for {@code --print-commands}, {@code --slurm} and the local
 * pool: {@code efqat sweep FILE --shared-stages} and {@code efqat sweep FILE --point i}.
 *
 * @param launcher the {@code efqat} launcher (absolute), from the {@code efqat.launcher} system
 *     property the launcher sets, else {@code efqat}
 * @param file the sweep file (absolute)
 * @param until the points' last stage
 */
public record PointCommands(String launcher, Path file, Stage until) {
  /**
   * @param file the sweep file
   * @param until the points' last stage
   * @return the commands of this installation
   */
  public static PointCommands of(Path file, Stage until) {
    return new PointCommands(
        System.getProperty("efqat.launcher", "efqat"), file.toAbsolutePath().normalize(), until);
  }

  /**
   * @return the arguments after the launcher that compute the shared stages
   */
  public List<String> sharedArgs() {
    return args("--shared-stages");
  }

  /**
   * @param point a point's index, or a shell expression such as {@code $SLURM_ARRAY_TASK_ID}
   * @return the arguments after the launcher that run it
   */
  public List<String> pointArgs(String point) {
    return args("--point", point);
  }

  private List<String> args(String... more) {
    List<String> a = new ArrayList<>(List.of("sweep", file.toString()));
    if (until != Stage.EFQAT) {
      a.add("--until");
      a.add(until.name());
    }
    a.addAll(List.of(more));
    return a;
  }

  /**
   * @param args arguments
   * @return the launcher and the arguments, quoted for a POSIX shell (a {@code $VAR} argument is
   *     left to the shell)
   */
  public String shell(List<String> args) {
    StringBuilder sb = new StringBuilder(quote(launcher));
    for (String a : args) {
      sb.append(' ').append(a.startsWith("$") ? a : quote(a));
    }
    return sb.toString();
  }

  /**
   * @param s a word
   * @return it, single-quoted when it holds anything but safe characters
   */
  static String quote(String s) {
    if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
