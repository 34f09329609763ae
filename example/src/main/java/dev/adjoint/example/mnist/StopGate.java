package dev.adjoint.example.mnist;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops training between two batches when the JVM shuts down (Ctrl-C): the batch sources pass
 * through the gate before each batch, and once it is closed the training thread stays there, so
 * that no checkpoint is being written while the JVM exits and the last one is known.
 */
final class StopGate {
  private volatile boolean closed;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Called before each batch: returns at once while open, never once closed. */
  void pass() {
    if (closed) {
      stopped.countDown();
      while (true) {
        LockSupport.park(this); // the JVM is exiting; this thread ends with it
      }
    }
  }

  /**
   * Closes the gate and waits until training reaches it, at most {@code seconds}.
   *
   * @return whether training stopped at the gate in time
   */
  boolean close(long seconds) {
    closed = true;
    try {
      return stopped.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
