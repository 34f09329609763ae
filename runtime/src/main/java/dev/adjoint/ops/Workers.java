package dev.adjoint.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs the parts of a split op on the calling thread and pooled daemon threads.
 *
 * <p>The ops of a training step come microseconds apart, and waking a sleeping thread costs
 * tens of microseconds, as much as a whole mid-sized product. So the parts of an op are claimed
 * by whichever thread gets there first, the caller included: it never waits for a thread to wake
 * up, it takes the parts nobody has claimed yet. And a pooled thread watches for the next op for
 * a short while ({@value #SPIN_NANOS} ns) after each one before it sleeps. Which thread runs a
 * part never changes the part's result.
 *
 * <p>Each thread first claims its own part: the caller part 0, pooled thread {@code i} part
 * {@code i}. Consecutive ops split the same arrays the same way (the rows of a weight gradient,
 * then the optimizer's update of those rows), so a part's lines are then mostly in the cache of
 * the core that wrote them last. Moving them between cores cost more than the arithmetic: an
 * update of 235k floats took 27 µs on one thread and 85 µs split between two without it.
 *
 * <p>One op at a time uses the pool: a caller that finds it busy (another thread's op, or a
 * part that splits again) runs all of its parts itself.
 */
final class Workers {
  /** How long an idle pooled thread watches for the next op before it sleeps. */
  private static final long SPIN_NANOS = 100_000;

  /** How long a caller spins on parts still running elsewhere before it yields its core. */
  private static final long WAIT_SPIN_NANOS = 20_000;

  private static final AtomicBoolean BUSY = new AtomicBoolean();
  private static final List<Worker> POOL = new ArrayList<>();

  /** The latest op; pooled threads take parts of it until none are left. */
  private static volatile Job current;

  private Workers() {}

  /** Runs {@code part.accept(p)} for {@code p} in {@code [0, parts)} and waits for all of them. */
  static void run(int parts, IntConsumer part) {
    if (parts <= 1 || !BUSY.compareAndSet(false, true)) {
      for (int p = 0; p < parts; p++) {
        part.accept(p);
      }
      return;
    }
    try {
      Job job = new Job(part, parts);
      start(parts - 1);
      current = job;
      for (Worker w : POOL) {
        if (w.sleeping) {
          LockSupport.unpark(w);
        }
      }
      job.runParts(0);
      job.awaitAll();
      job.rethrow();
    } finally {
      BUSY.set(false);
    }
  }

  /** The first index of part {@code p} when {@code n} units are split into {@code parts}. */
  static int start(int n, int parts, int p) {
    return (int) ((long) n * p / parts);
  }

  /** Starts pooled threads until there are at least {@code n}; called only by the pool's owner. */
  private static void start(int n) {
    while (POOL.size() < n) {
      Worker w = new Worker(POOL.size() + 1);
      POOL.add(w);
      w.start();
    }
  }

  /** One op: its parts, who has claimed and finished them, and the first failure. */
  private static final class Job {
    private final IntConsumer part;
    private final int parts;
    /** Nonzero for each part some thread has claimed. */
    private final AtomicIntegerArray taken;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(IntConsumer part, int parts) {
      this.part = part;
      this.parts = parts;
      this.taken = new AtomicIntegerArray(parts);
    }

    boolean hasUnclaimedParts() {
      return claimed.get() < parts;
    }

    /**
     * Runs part {@code home} if nobody has claimed it, then any unclaimed parts until there are
     * none; failures are kept for the caller.
     */
    void runParts(int home) {
      if (home < parts) {
        tryRun(home);
      }
      for (int p = 0; p < parts && hasUnclaimedParts(); p++) {
        tryRun(p);
      }
    }

    private void tryRun(int p) {
      if (taken.get(p) != 0 || !taken.compareAndSet(p, 0, 1)) {
        return;
      }
      claimed.incrementAndGet();
      try {
        part.accept(p);
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        finished.incrementAndGet();
      }
    }

    /** Waits until every part has finished: their results are in the caller's arrays. */
    void awaitAll() {
      long spinUntil = System.nanoTime() + WAIT_SPIN_NANOS;
      while (finished.get() < parts) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          Thread.yield(); // the part's thread may need this core
        }
      }
    }

    void rethrow() {
      Throwable t = failure.get();
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException(t);
      }
    }
  }

  /** A pooled thread: runs parts of each new op, watches briefly for the next, then sleeps. */
  private static final class Worker extends Thread {
    volatile boolean sleeping;
    /** The part this thread claims first. */
    private final int home;

    Worker(int number) {
      super("adjoint-ops-" + number);
      this.home = number;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (true) {
        Job job = next();
        job.runParts(home);
      }
    }

    private Job next() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (true) {
        Job job = current;
        if (job != null && job.hasUnclaimedParts()) {
          return job;
        }
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
          continue;
        }
        // Announce the sleep, then look once more: an op posted after this read of `current`
        // sees `sleeping` and unparks this thread, so no op waits on a sleeper.
        sleeping = true;
        job = current;
        if (job == null || !job.hasUnclaimedParts()) {
          LockSupport.park(this);
        }
        sleeping = false;
        spinUntil = System.nanoTime() + SPIN_NANOS;
      }
    }
  }
}
