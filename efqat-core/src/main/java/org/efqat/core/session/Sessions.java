package org.efqat.core.session;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.inject.SessionModule;
import org.efqat.core.registry.ComponentRegistry;

/**
 * The composition root: one Guice injector per experiment builds its {@link ExperimentSession} by
 * constructor injection. This is the only place an injector is asked for an instance.
 *
 * <pre>{@code
 * ComponentRegistry registry = ComponentRegistry.loadDefault();
 * ResolvedExperiment e = new ExperimentLoader(registry).load(Path.of("experiments/quickstart.yaml"));
 * try (ExperimentSession session = Sessions.open(registry, e, SessionOptions.DEFAULT,
 *     SessionListener.NONE)) {
 *   RunMetrics m = session.run().metrics();
 *   System.out.println(m.efqat().test().accuracy());
 * }
 * }</pre>
 */
public final class Sessions {
  private Sessions() {}

  /**
   * Creates the backend (failing with its reason if it is unavailable), loads the data and builds
   * the session.
   *
   * @param registry every registered component
   * @param experiment a validated experiment
   * @param options how to run it
   * @param listener progress and events
   * @return the session; close it to free the backend
   * @throws IOException if the dataset cannot be read
   * @throws RunException if a component cannot be created, with its one-line reason
   */
  public static ExperimentSession open(
      ComponentRegistry registry,
      ResolvedExperiment experiment,
      SessionOptions options,
      SessionListener listener)
      throws IOException {
    try {
      return Guice.createInjector(new SessionModule(registry, experiment, options, listener))
          .getInstance(ExperimentSession.class);
    } catch (ProvisionException | CreationException e) {
      Throwable cause = rootOf(e);
      if (cause instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RunException run) {
        throw run;
      }
      throw new RunException(
          cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
  }

  /**
   * Opens a session on a run folder that exists, to read its stages (export, row importance): the
   * experiment's output is the folder's parent, so the session's run folder is {@code runDir}.
   *
   * @param registry every registered component
   * @param experiment the run's experiment (its {@code resolved-config.yaml})
   * @param runDir the run folder
   * @return the session; close it to free the backend
   * @throws IOException if the dataset cannot be read
   * @throws RunException if a component cannot be created, with its one-line reason
   */
  public static ExperimentSession openRun(
      ComponentRegistry registry, ResolvedExperiment experiment, Path runDir) throws IOException {
    return open(
        registry,
        experiment,
        SessionOptions.DEFAULT.withOutput(runDir.toAbsolutePath().getParent()),
        SessionListener.NONE);
  }

  /** The first cause that is not Guice's own wrapping. */
  private static Throwable rootOf(RuntimeException e) {
    Throwable t = e;
    while ((t instanceof ProvisionException || t instanceof CreationException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t == e) {
      var messages =
          e instanceof ProvisionException p
              ? p.getErrorMessages()
              : ((CreationException) e).getErrorMessages();
      for (var m : messages) {
        if (m.getCause() != null) {
          return m.getCause();
        }
      }
    }
    return t;
  }
}
