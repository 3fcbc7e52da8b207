package org.efqat.backend.tf;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.types.TFloat32;

/**
 * The ledger of a backend's tensor storages: every open {@link TfStorage}, a {@link Cleaner} that
 * releases handles nobody closed once they become unreachable (a safety net, not the normal path),
 * and {@link #close()}, which frees every native tensor still open.
 */
final class TfMemory implements AutoCloseable {
  private final Cleaner cleaner = Cleaner.create();
  private final Set<TfStorage> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param tensor a new native tensor; owned by the returned storage (closed here if the backend is
   *     closed)
   * @return a storage without handles yet
   */
  TfStorage adopt(TFloat32 tensor) {
    if (closed) {
      tensor.close();
      throw new IllegalStateException("the tf backend is closed");
    }
    TfStorage storage = new TfStorage(this, tensor);
    open.add(storage);
    return storage;
  }

  /**
   * @param handle a tensor handle
   * @param release what to run when the handle is closed, or once it is unreachable; it must not
   *     reach {@code handle}
   * @return the registration, whose {@code clean()} runs {@code release} at most once
   */
  Cleaner.Cleanable watch(Object handle, Runnable release) {
    return cleaner.register(handle, release);
  }

  /**
   * @param storage a storage whose native tensor was just closed
   */
  void freed(TfStorage storage) {
    open.remove(storage);
  }

  /**
   * @return the number of storages whose native tensor is open
   */
  int openTensors() {
    return open.size();
  }

  /** Frees every native tensor still open; handles used afterwards throw. */
  @Override
  public void close() {
    closed = true;
    for (TfStorage s : List.copyOf(open)) {
      s.free();
    }
  }
}
