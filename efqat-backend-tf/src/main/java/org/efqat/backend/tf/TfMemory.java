package org.efqat.backend.tf;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.Tensor;
import org.tensorflow.types.TString;

/**
 * The ledger of a backend's tensor storages: every open {@link TfStorage}, a {@link Cleaner} that
 * releases handles nobody closed once they become unreachable (a safety net, not the normal path),
 * and {@link #close()}, which frees every native tensor still open.
 *
 * <p>Session tensors (held by handle) can only be deleted by a session run, and a handle may be
 * released on the {@link Cleaner}'s thread: {@link #dispose} queues their handles, and the kernels
 * delete them in batches from the thread that runs them ({@link TfKernels}).
 */
final class TfMemory implements AutoCloseable {
  private final Cleaner cleaner = Cleaner.create();
  private final Set<TfStorage> open = ConcurrentHashMap.newKeySet();
  private final Queue<String> discarded = new ConcurrentLinkedQueue<>();

  /** {@code discarded.size()}, which the queue itself counts by walking it. */
  private final AtomicInteger discardedCount = new AtomicInteger();

  private volatile boolean closed;

  /**
   * @param tensor a new native tensor, or the handle of a new session tensor; owned by the returned
   *     storage (freed here if the backend is closed)
   * @param size the number of elements
   * @return a storage without handles yet
   */
  TfStorage adopt(Tensor tensor, long size) {
    if (closed) {
      dispose(tensor);
      throw new IllegalStateException("the tf backend is closed");
    }
    TfStorage storage = new TfStorage(this, tensor, size);
    open.add(storage);
    return storage;
  }

  /**
   * Frees a storage's values: closes a native tensor; closes a session tensor's handle and queues
   * the handle for deletion from the session.
   *
   * @param tensor the values, no longer used
   */
  void dispose(Tensor tensor) {
    if (tensor instanceof TString handle) {
      if (!closed) { // closing the session frees all of its tensors
        discarded.add(handle.getObject());
        discardedCount.incrementAndGet();
      }
    }
    tensor.close();
  }

  /**
   * @param max at most this many
   * @return the next queued session-tensor handles to delete, removed from the queue
   */
  List<String> takeDiscarded(int max) {
    List<String> out = new java.util.ArrayList<>();
    for (String h; out.size() < max && (h = discarded.poll()) != null; ) {
      out.add(h);
      discardedCount.decrementAndGet();
    }
    return out;
  }

  /**
   * @return how many session tensors wait for deletion
   */
  int discardedCount() {
    return discardedCount.get();
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
