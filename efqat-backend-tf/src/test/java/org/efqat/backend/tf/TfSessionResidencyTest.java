package org.efqat.backend.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.efqat.api.backend.Tensor;
import org.efqat.api.backend.TensorOps;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TString;

/**
 * {@code kernels: device} keeps tensors in the session: storages hold session-tensor handles, not
 * host buffers; kernel outputs stay there; and a freed tensor is deleted from the session (once).
 */
class TfSessionResidencyTest {
  @Test
  void tensorsAndKernelOutputsLiveInTheSessionByHandle() {
    try (TfBackend backend = new TfBackend(true)) {
      TensorOps ops = backend.ops();
      Tensor a = ops.fromArray(new float[] {-1, 2, -3, 4}, 2, 2);
      Tensor b = ops.zeros(2, 2);
      ops.relu(a, b);
      ops.add(a, b, b);
      for (Tensor t : List.of(a, b)) {
        TfStorage storage = ((TfTensor) t).storage();
        assertThat(storage.resident()).isTrue();
        assertThat(storage.value()).isInstanceOf(TString.class);
        assertThatThrownBy(storage::tensor).hasMessageContaining("live in the session");
      }
      assertThat(ops.hostAccess(a)).as("no host access to session tensors").isNull();
      assertThat(ops.toArray(b)).containsExactly(-1, 4, -3, 8);
      ops.copyFrom(new float[] {5, 6, 7, 8}, a);
      ops.fill(b, 0.5f);
      assertThat(ops.toArray(a)).containsExactly(5, 6, 7, 8);
      assertThat(ops.toArray(b)).containsExactly(0.5f, 0.5f, 0.5f, 0.5f);
      assertThat(backend.device()).contains("tensors in the session");
    }
  }

  @Test
  void aFreedTensorIsDeletedFromTheSession() {
    try (TfBackend backend = new TfBackend(true)) {
      TensorOps ops = backend.ops();
      Tensor a = ops.fromArray(new float[] {1, 2, 3}, 3);
      String handle = ((TString) ((TfTensor) a).storage().value()).getObject();
      int before = backend.liveNativeTensors();
      a.close();
      assertThat(backend.liveNativeTensors()).isEqualTo(before - 1);
      assertThat(backend.memory().discardedCount()).as("deleted by the flush").isZero();
      // a second deletion of the same handle fails: the first one removed it from the session
      try (TString again = TString.scalarOf(handle)) {
        backend.memory().dispose(again);
      }
      assertThatThrownBy(() -> backend.liveNativeTensors())
          .hasMessageContaining("Failed to delete a tensor with handle");
    }
  }

  @Test
  void freedTensorsWaitForDeletionInBoundedBatches() {
    try (TfBackend backend = new TfBackend(true)) {
      TensorOps ops = backend.ops();
      Tensor x = ops.fromArray(new float[] {1, -2, 3, -4}, 4);
      for (int i = 0; i < 10 * TfKernels.DELETE_BATCH; i++) {
        ops.relu(x, x); // each call frees the previous output
        assertThat(backend.memory().discardedCount()).isLessThanOrEqualTo(TfKernels.DELETE_BATCH);
      }
      assertThat(ops.toArray(x)).containsExactly(1, 0, 3, 0);
    }
  }
}
