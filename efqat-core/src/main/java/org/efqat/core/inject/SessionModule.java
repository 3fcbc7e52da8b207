package org.efqat.core.inject;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.efqat.api.backend.Availability;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.DataConfig;
import org.efqat.core.config.ExperimentConfig;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.data.Dataset;
import org.efqat.core.data.LoadedDataset;
import org.efqat.core.model.ModelArchitecture;
import org.efqat.core.profile.ProfilingBackend;
import org.efqat.core.ptq.PtqRefinement;
import org.efqat.core.ptq.RangeEstimator;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.RunException;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;

/**
 * Binds what one validated experiment chose, for {@link org.efqat.core.session.Sessions}: the
 * experiment, its config and seeded {@link ComponentContext}, the run options and listener, the
 * registry, and the experiment's components — the backend (probed first: an unavailable backend
 * fails with its reason, never with a fallback; wrapped in a {@link ProfilingBackend}), the loaded
 * dataset, the model architecture, the calibration method and the PTQ refinements. Components a
 * stage creates fresh (optimizers, schedules, freeze policies) are created by the session from the
 * resolved experiment.
 */
public final class SessionModule extends AbstractModule {
  private final ComponentRegistry registry;
  private final ResolvedExperiment experiment;
  private final SessionOptions options;
  private final SessionListener listener;

  /**
   * @param registry every registered component
   * @param experiment a validated experiment
   * @param options how to run it
   * @param listener progress and events
   */
  public SessionModule(
      ComponentRegistry registry,
      ResolvedExperiment experiment,
      SessionOptions options,
      SessionListener listener) {
    this.registry = requireNonNull(registry, "registry is null");
    this.experiment = requireNonNull(experiment, "experiment is null");
    this.options = requireNonNull(options, "options is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  @Override
  protected void configure() {
    bind(ComponentRegistry.class).toInstance(registry);
    bind(ResolvedExperiment.class).toInstance(experiment);
    bind(ExperimentConfig.class).toInstance(experiment.config());
    bind(SessionOptions.class).toInstance(options);
    bind(SessionListener.class).toInstance(listener);
    bind(ComponentContext.class).toInstance(ComponentContext.ofSeed(experiment.config().seed()));
  }

  @Provides
  @Singleton
  ProfilingBackend backend(ComponentContext context) {
    Availability availability = experiment.backend().provider().probe();
    if (!availability.ok()) {
      throw new BackendUnavailableException(
          experiment.backend().provider().name(), availability.reason());
    }
    return new ProfilingBackend(experiment.backend().create(context));
  }

  @Provides
  @Singleton
  LoadedDataset dataset(ComponentContext context) {
    Dataset dataset = experiment.dataset().create(context);
    DataConfig d = experiment.config().data();
    LoadedDataset loaded;
    try {
      loaded = dataset.load();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = experiment.dataset().provider().name();
    requireSamples("data.trainSamples", d.trainSamples(), loaded.trainSize(), name, "training");
    requireSamples("data.testSamples", d.testSamples(), loaded.testSize(), name, "test");
    return loaded.head(d.trainSamples(), d.testSamples());
  }

  /** No silent caps: asking for more samples than there are, or having none, is an error. */
  private static void requireSamples(
      String key, Integer wanted, int available, String dataset, String split) {
    if (available == 0) {
      throw new RunException("data.dataset: " + dataset + " has no " + split + " samples");
    }
    if (wanted != null && wanted > available) {
      throw new RunException(
          key
              + " is "
              + wanted
              + " but "
              + dataset
              + " has only "
              + available
              + " "
              + split
              + " samples; leave it out to use all of them");
    }
  }

  @Provides
  @Singleton
  ModelArchitecture architecture(ComponentContext context) {
    return experiment.model().create(context);
  }

  @Provides
  @Singleton
  RangeEstimator calibration(ComponentContext context) {
    return experiment.calibration().create(context);
  }

  /**
   * @return {@code quantization.calibration.refine}, created in list order
   */
  @Provides
  @Singleton
  List<PtqRefinement> refinements(ComponentContext context) {
    return experiment.refinements().stream().map(r -> r.<PtqRefinement>create(context)).toList();
  }
}
