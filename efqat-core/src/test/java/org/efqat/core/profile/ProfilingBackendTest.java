package org.efqat.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.efqat.api.backend.Backend;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.efqat.core.nn.TestBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel-timing decorator: it delegates, counts every kernel, and leaves views alone. */
class ProfilingBackendTest {
  private Backend raw;
  private ProfilingBackend backend;

  @BeforeEach
  void open() {
    raw = TestBackends.nd4j();
    backend = new ProfilingBackend(raw);
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void countsEachKernelAndDelegatesResults() {
    TensorOps ops = backend.ops();
    try (Tensor a = ops.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = ops.zeros(2, 2)) {
      ops.gemm(a, false, a, false, c, 1f, 0f);
      ops.gemm(a, false, a, false, c, 1f, 0f);
      ops.reshape(c, 4);
      assertThat(ops.toArray(c)).containsExactly(7, 10, 15, 22);
    }
    KernelProfile p = backend.profile();
    assertThat(p.calls(Kernel.GEMM)).isEqualTo(2);
    assertThat(p.nanos(Kernel.GEMM)).isPositive();
    assertThat(p.calls(Kernel.FROM_ARRAY)).isEqualTo(1);
    assertThat(p.calls(Kernel.TO_ARRAY)).isEqualTo(1);
    assertThat(p.snapshot())
        .containsOnlyKeys(Kernel.FROM_ARRAY, Kernel.ZEROS, Kernel.GEMM, Kernel.TO_ARRAY);
    p.reset();
    assertThat(p.snapshot()).isEmpty();
    assertThat(p.calls(Kernel.GEMM)).isZero();
  }

  @Test
  void describesItselfAsTheDelegateAndFindsItsProfile() {
    assertThat(backend.name()).isEqualTo(raw.name());
    assertThat(backend.device()).isEqualTo(raw.device());
    assertThat(backend.capabilities()).isEqualTo(raw.capabilities());
    assertThat(ProfilingBackend.profileOf(backend)).containsSame(backend.profile());
    assertThat(ProfilingBackend.profileOf(raw)).isEmpty();
  }
}
