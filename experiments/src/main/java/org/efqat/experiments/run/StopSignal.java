package org.efqat.experiments.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.efqat.core.session.StopRequests;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM during a training stage: instead of the JVM's immediate shutdown, the stage
 * finishes its current step, writes a resume checkpoint and stops ({@link #requested()}). Outside a
 * training stage the signal ends the process at once (every file of a run is written atomically, so
 * nothing is left half-written). The previous handlers are put back on {@link #close()}.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}, exported) is the JDK's only way to
 * handle a signal without starting the JVM's shutdown, during which the training thread and the
 * native libraries' own shutdown hooks would race; javac warns about it, which is why it lives in
 * the command-line module and core sees only {@link StopRequests}.
 */
public final class StopSignal implements StopRequests, AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM");

  private final AtomicBoolean requested = new AtomicBoolean();
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile boolean training;
  private volatile int signalNumber;

  /** Installs the handlers. */
  public StopSignal() {
    for (String name : SIGNALS) {
      Signal s = new Signal(name);
      signals.add(s);
      previous.add(Signal.handle(s, this::onSignal));
    }
  }

  private void onSignal(Signal s) {
    signalNumber = s.getNumber();
    if (training && requested.compareAndSet(false, true)) {
      return; // the stage checkpoints after the current step and stops
    }
    Runtime.getRuntime().exit(128 + s.getNumber());
  }

  /**
   * @return whether a signal asked the stage to stop
   */
  @Override
  public boolean requested() {
    return requested.get();
  }

  /**
   * @return the exit code the process should end with after stopping ({@code 128 + signal})
   */
  @Override
  public int exitCode() {
    return 128 + signalNumber;
  }

  /**
   * @param inStage whether a training stage is running (else a signal exits at once)
   */
  @Override
  public void training(boolean inStage) {
    this.training = inStage;
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
