package org.efqat.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private single-node Slurm cluster on localhost (munged, slurmctld, slurmd), started and stopped
 * by the scripts in {@code .ci/slurm/}. Its configuration, state, logs and MUNGE socket live in one
 * folder, and Slurm commands find it through {@link #environment()}'s {@code SLURM_CONF}; a
 * machine's own {@code /etc/slurm} is never used.
 *
 * <p>{@link #start} skips the calling test (a JUnit assumption) when the scripts report that Slurm
 * cannot run on this machine (exit status {@value #EXIT_CANNOT_RUN}: not installed, not root). It
 * runs {@code install.sh} first when the environment variable {@code EFQAT_SLURM_INSTALL} is {@code
 * 1}.
 */
final class LocalSlurm implements AutoCloseable {
  /** The scripts' exit status for "Slurm cannot run here", as opposed to a failure (1). */
  static final int EXIT_CANNOT_RUN = 77;

  private static final Path SCRIPTS = Path.of("..", ".ci", "slurm").toAbsolutePath().normalize();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

  private final Path dir;
  private final int port;

  private LocalSlurm(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** What a script printed (standard output and error together) and its exit status. */
  record Result(String script, int exitCode, String output) {
    /** Fails the test, with the script's output, unless it exited 0. */
    Result assertSucceeded() {
      assertThat(exitCode).as("%s exited %d:%n%s", script, exitCode, output).isZero();
      return this;
    }

    /** Skips the test, with the script's explanation, if it reported that Slurm cannot run here. */
    Result assumeCanRun() {
      assumeTrue(
          exitCode != EXIT_CANNOT_RUN,
          () -> script + ": Slurm cannot run on this machine: " + output.strip());
      return this;
    }
  }

  /**
   * Installs Slurm if asked to ({@code EFQAT_SLURM_INSTALL=1}) and starts a fresh cluster on two
   * free ports, with its files in {@code workDir/slurm} and the scripts' output in {@code workDir};
   * returns once its node takes jobs.
   */
  static LocalSlurm start(Path workDir) throws IOException, InterruptedException {
    // munged accepts a socket only below folders every user may enter; a @TempDir is private.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path dir = Files.createDirectories(workDir.resolve("slurm"));
    LocalSlurm slurm = new LocalSlurm(dir, freePortPair());
    if ("1".equals(System.getenv("EFQAT_SLURM_INSTALL"))) {
      slurm.runScript("install.sh", Duration.ofMinutes(5)).assumeCanRun().assertSucceeded();
    }
    slurm.runScript("start.sh", START_TIMEOUT).assumeCanRun().assertSucceeded();
    return slurm;
  }

  /** The variables a process needs to talk to this cluster (and the scripts, to find it). */
  Map<String, String> environment() {
    return Map.of(
        "SLURM_CONF", dir.resolve("slurm.conf").toString(),
        "EFQAT_SLURM_DIR", dir.toString(),
        "EFQAT_SLURM_PORT", Integer.toString(port));
  }

  /** Runs one of the {@code .ci/slurm} scripts against this cluster. */
  Result runScript(String name, Duration timeout) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir.getParent(), name, ".log");
    // Output to a file, not a pipe: the daemons start.sh leaves behind must not hold our reader.
    ProcessBuilder builder =
        new ProcessBuilder("bash", SCRIPTS.resolve(name).toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(environment());
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          name + " did not finish within " + timeout + ":\n" + Files.readString(log));
    }
    return new Result(name, process.exitValue(), Files.readString(log));
  }

  /** Stops the cluster; fails the test if anything it started is still running. */
  @Override
  public void close() throws IOException {
    // A test interrupted by its @Timeout still stops the daemons; the interrupt is kept.
    boolean interrupted = Thread.interrupted();
    try {
      runScript("stop.sh", STOP_TIMEOUT).assertSucceeded();
    } catch (InterruptedException e) {
      interrupted = true;
      throw new IOException("interrupted while stopping Slurm in " + dir, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      if (port < 65535 && isFree(port + 1)) {
        return port;
      }
    }
    throw new IOException("found no two consecutive free ports for slurmctld and slurmd");
  }

  private static boolean isFree(int port) {
    try {
      new ServerSocket(port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
