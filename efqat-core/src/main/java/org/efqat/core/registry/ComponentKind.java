package org.efqat.core.registry;

import org.efqat.api.backend.BackendProvider;
import org.efqat.api.freeze.FreezePolicyProvider;
import org.efqat.api.importance.ImportanceMetricProvider;
import org.efqat.api.quant.QuantizerProvider;
import org.efqat.api.spi.ComponentProvider;
import org.efqat.core.data.DatasetProvider;
import org.efqat.core.model.ModelProvider;
import org.efqat.core.ptq.PtqRefinementProvider;
import org.efqat.core.ptq.RangeEstimatorProvider;
import org.efqat.core.train.OptimizerProvider;
import org.efqat.core.train.ScheduleProvider;

/** The component kinds and their {@link java.util.ServiceLoader} service types. */
public enum ComponentKind {
  /** Compute backends. */
  BACKEND("backend", BackendProvider.class),
  /** Model architectures. */
  MODEL("model", ModelProvider.class),
  /** Datasets. */
  DATASET("dataset", DatasetProvider.class),
  /** Fake quantizers. */
  QUANTIZER("quantizer", QuantizerProvider.class),
  /** PTQ range calibration methods. */
  CALIBRATION("calibration", RangeEstimatorProvider.class),
  /** PTQ refinements run after range calibration (AdaRound, bias correction, ...). */
  PTQ_REFINEMENT("ptq-refinement", PtqRefinementProvider.class),
  /** Row importance metrics. */
  IMPORTANCE("importance", ImportanceMetricProvider.class),
  /** Freeze policies. */
  FREEZE_POLICY("freeze-policy", FreezePolicyProvider.class),
  /** Optimizers. */
  OPTIMIZER("optimizer", OptimizerProvider.class),
  /** Learning-rate schedules. */
  SCHEDULE("schedule", ScheduleProvider.class);

  private final String label;
  private final Class<? extends ComponentProvider<?, ?>> serviceType;

  @SuppressWarnings({"unchecked", "rawtypes"})
  ComponentKind(String label, Class<? extends ComponentProvider> serviceType) {
    this.label = label;
    this.serviceType = (Class<? extends ComponentProvider<?, ?>>) (Class) serviceType;
  }

  /**
   * @return the kind as printed, for example {@code "freeze-policy"}
   */
  public String label() {
    return label;
  }

  /**
   * @return the interface named in {@code META-INF/services}
   */
  public Class<? extends ComponentProvider<?, ?>> serviceType() {
    return serviceType;
  }
}
