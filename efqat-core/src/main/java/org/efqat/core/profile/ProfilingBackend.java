package org.efqat.core.profile;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.efqat.api.backend.Backend;
import org.efqat.api.backend.BackendCapability;
import org.efqat.api.backend.TensorOps;

/**
 * A {@link Backend} that times every kernel of another one into a {@link KernelProfile}. Tensors
 * are the delegate's; closing this closes the delegate. The cost is two {@code nanoTime} calls per
 * kernel.
 */
public final class ProfilingBackend implements Backend {
  private final Backend delegate;
  private final KernelProfile profile = new KernelProfile();
  private final TensorOps ops;

  /**
   * @param delegate the backend to time
   */
  public ProfilingBackend(Backend delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate is null");
    this.ops = new ProfilingTensorOps(delegate.ops(), profile);
  }

  /**
   * @param backend any backend
   * @return its kernel profile if it is a {@link ProfilingBackend}
   */
  public static Optional<KernelProfile> profileOf(Backend backend) {
    return backend instanceof ProfilingBackend p ? Optional.of(p.profile) : Optional.empty();
  }

  /**
   * @return the accumulated kernel times
   */
  public KernelProfile profile() {
    return profile;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String version() {
    return delegate.version();
  }

  @Override
  public String device() {
    return delegate.device();
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public TensorOps ops() {
    return ops;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
