package org.efqat.experiments.sweep;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@code efqat sweep --jobs N}: runs points as separate JVM processes ({@code efqat sweep FILE
 * --point i}), at most {@code N} at a time, with the machine's cores divided between them: each
 * child sees {@code max(1, cores / N)} processors ({@code -XX:ActiveProcessorCount}, which sizes
 * TensorFlow's thread pools) and gets the same count in {@code OMP_NUM_THREADS} and {@code
 * OPENBLAS_NUM_THREADS} (ND4J, OpenBLAS). Each child's output goes to {@code sweep-task.log} in its
 * run folder. Closing the pool (or the JVM's shutdown) sends the children SIGTERM, which makes a
 * training child write its resume checkpoint and stop.
 */
public final class LocalPool implements AutoCloseable {
  /** The log of a child process, in its point's run folder. */
  public static final String LOG = "sweep-task.log";

  private final PointCommands commands;
  private final int jobs;
  private final int threads;
  private final List<Process> running = new ArrayList<>();
  private final Thread hook = new Thread(this::destroyAll, "efqat-sweep-pool");

  /**
   * @param commands the point commands
   * @param jobs processes at a time, at least 1
   * @param cores the machine's cores
   */
  public LocalPool(PointCommands commands, int jobs, int cores) {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1 (was " + jobs + ")");
    }
    this.commands = commands;
    this.jobs = jobs;
    this.threads = Math.max(1, cores / jobs);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * @return the processors each child sees
   */
  public int threadsPerJob() {
    return threads;
  }

  /**
   * Runs the points and waits for all of them.
   *
   * @param points point index → its run folder (for the log)
   * @param finished called with a point's index when its process has ended
   * @return each point's exit code
   * @throws IOException if a process cannot be started
   * @throws InterruptedException if the wait is interrupted
   */
  public Map<Integer, Integer> run(Map<Integer, Path> points, IntConsumer finished)
      throws IOException, InterruptedException {
    Deque<Integer> queue = new ArrayDeque<>(points.keySet());
    Map<Process, Integer> active = new LinkedHashMap<>();
    Map<Integer, Integer> codes = new LinkedHashMap<>();
    while (!queue.isEmpty() || !active.isEmpty()) {
      while (active.size() < jobs && !queue.isEmpty()) {
        int i = queue.poll();
        Path dir = points.get(i);
        Files.createDirectories(dir);
        Process p = start(i, dir.resolve(LOG));
        synchronized (running) {
          running.add(p);
        }
        active.put(p, i);
      }
      Process done = waitForAny(active.keySet());
      int i = active.remove(done);
      synchronized (running) {
        running.remove(done);
      }
      codes.put(i, done.exitValue());
      finished.accept(i);
    }
    return codes;
  }

  private Process start(int point, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-XX:ActiveProcessorCount")) {
        cmd.add(a);
      }
    }
    cmd.add("-XX:ActiveProcessorCount=" + threads);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.efqat.experiments.EfqatCli");
    cmd.addAll(commands.pointArgs(Integer.toString(point)));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  private static Process waitForAny(Iterable<Process> processes) throws InterruptedException {
    while (true) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          return p;
        }
      }
      Thread.sleep(200);
    }
  }

  private void destroyAll() {
    List<Process> copy;
    synchronized (running) {
      copy = new ArrayList<>(running);
    }
    copy.forEach(Process::destroy);
    for (Process p : copy) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
