package org.efqat.core.inject;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import org.efqat.api.backend.Availability;
import org.efqat.api.backend.Backend;
import org.efqat.api.freeze.FreezePolicy;
import org.efqat.api.importance.ImportanceMetric;
import org.efqat.api.quant.Quantizer;
import org.efqat.api.spi.ComponentContext;
import org.efqat.core.config.ExperimentConfig;
import org.efqat.core.config.ResolvedExperiment;

/**
 * Binds what one validated experiment chose: its config, its seeded {@link ComponentContext}, the
 * freeze policy, the importance metric, the weight and activation quantizers ({@code
 * @Named("weights")}, {@code @Named("activations")}) and the backend. The backend is created
 * lazily, on first injection, after probing; an unavailable backend fails with its reason, never
 * with a fallback.
 */
public final class ExperimentModule extends AbstractModule {
  /** The binding name of the weight quantizer. */
  public static final String WEIGHTS = "weights";

  /** The binding name of the activation quantizer. */
  public static final String ACTIVATIONS = "activations";

  private final ResolvedExperiment experiment;

  /** @param experiment a validated experiment */
  public ExperimentModule(ResolvedExperiment experiment) {
    this.experiment = requireNonNull(experiment, "experiment is null");
  }

  @Override
  protected void configure() {
    bind(ResolvedExperiment.class).toInstance(experiment);
    bind(ExperimentConfig.class).toInstance(experiment.config());
    bind(ComponentContext.class).toInstance(ComponentContext.ofSeed(experiment.config().seed()));
  }

  @Provides
  @Singleton
  FreezePolicy freezePolicy(ComponentContext context) {
    return experiment.freeze().create(context);
  }

  @Provides
  @Singleton
  ImportanceMetric importanceMetric(ComponentContext context) {
    return experiment.importance().create(context);
  }

  @Provides
  @Singleton
  @Named(WEIGHTS)
  Quantizer weightQuantizer(ComponentContext context) {
    return experiment.weightQuantizer().create(context);
  }

  @Provides
  @Singleton
  @Named(ACTIVATIONS)
  Quantizer activationQuantizer(ComponentContext context) {
    return experiment.activationQuantizer().create(context);
  }

  @Provides
  @Singleton
  Backend backend(ComponentContext context) {
    Availability availability = experiment.backend().provider().probe();
    if (!availability.ok()) {
      throw new BackendUnavailableException(experiment.backend().provider().name(),
          availability.reason());
    }
    return experiment.backend().create(context);
  }
}
