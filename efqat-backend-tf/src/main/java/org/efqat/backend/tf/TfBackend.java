package org.efqat.backend.tf;

import java.util.EnumSet;
import java.util.Set;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.TensorOps;
import org.tensorflow.EagerSession;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;

/**
 * The TensorFlow Java backend: FP32 kernels as eager ops in one {@link EagerSession} that this
 * backend owns; {@link #close()} frees every tensor it made.
 */
public final class TfBackend implements Backend {
  /** The name YAML uses: {@code backend: tf}. */
  public static final String NAME = "tf";

  private final EagerSession session;
  private final TensorOps ops;

  TfBackend() {
    session = EagerSession.create();
    ops = new TfTensorOps(this, Ops.create(session));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return TensorFlow.version();
  }

  @Override
  public String device() {
    return "cpu (eager, " + Runtime.getRuntime().availableProcessors() + " cores)";
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return EnumSet.noneOf(BackendCapability.class);
  }

  @Override
  public TensorOps ops() {
    return ops;
  }

  @Override
  public void close() {
    session.close();
  }
}
