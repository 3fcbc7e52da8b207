package org.efqat.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The machine's and this process's CPU time so far, in clock ticks, from Linux's {@code /proc/stat}
 * (all CPUs) and {@code /proc/self/stat}: the difference between two readings tells how much of the
 * machine other processes used meanwhile, which is what decides whether wall-clock step times of
 * that interval can be compared with others.
 *
 * @param busy ticks all CPUs spent running anything (user, nice, system, irq, softirq, steal)
 * @param total ticks all CPUs spent in any state ({@code busy} plus idle and iowait)
 * @param own ticks this process ran (user and system)
 */
record CpuCounters(long busy, long total, long own) {
  private static final Path MACHINE = Path.of("/proc/stat");
  private static final Path SELF = Path.of("/proc/self/stat");
  private static final Pattern FIELDS = Pattern.compile("\\s+");

  /**
   * @return the counters now, or {@code null} where the files do not exist or cannot be parsed
   */
  static CpuCounters read() {
    try {
      String cpu = Files.readAllLines(MACHINE).get(0); // cpu user nice system idle iowait irq ...
      String[] f = FIELDS.split(cpu.trim(), -1);
      if (!f[0].equals("cpu") || f.length < 8) {
        return null;
      }
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = user + nice + system + irq + softirq + steal;
      String self = Files.readString(SELF);
      // the fields after the parenthesized command name: state is field 3, utime 14, stime 15
      String[] s = FIELDS.split(self.substring(self.lastIndexOf(')') + 2).trim(), -1);
      long own = Long.parseLong(s[11]) + Long.parseLong(s[12]);
      return new CpuCounters(busy, busy + idle + iowait, own);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * @param earlier an earlier reading
   * @return {@code {ticks other processes ran, ticks of all CPUs}} between the two readings
   */
  long[] since(CpuCounters earlier) {
    long others = Math.max(0, (busy - earlier.busy) - (own - earlier.own));
    return new long[] {others, Math.max(0, total - earlier.total)};
  }
}
