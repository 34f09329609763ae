package dev.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapeTest {
  @Test
  void popsInReverseOrderAndGrowsPastItsInitialSize() {
    Tape tape = Tape.get();
    int before = tape.size();
    for (int i = 0; i < 5000; i++) {
      tape.pushDouble(i * 0.5);
      tape.pushInt(i);
      tape.pushBoolean(i % 3 == 0);
      tape.pushLong(i * 10L);
    }
    for (int i = 4999; i >= 0; i--) {
      assertEquals(i * 10L, tape.popLong());
      assertEquals(i % 3 == 0, tape.popBoolean());
      assertEquals(i, tape.popInt());
      assertEquals(i * 0.5, tape.popDouble());
    }
    assertEquals(before, tape.size());
  }

  @Test
  void underflowIsAClearErrorAndLeavesTheTapeUsable() {
    // A fresh thread has an empty tape of its own.
    Thread t = new Thread(() -> {
      Tape tape = Tape.get();
      IllegalStateException e = assertThrows(IllegalStateException.class, tape::popDouble);
      assertTrue(e.getMessage().contains("Tape underflow"), e.getMessage());
      assertThrows(IllegalStateException.class, tape::popInt);
      assertThrows(IllegalStateException.class, tape::popLong);
      assertEquals(0, tape.size());
      tape.pushDouble(2.5);
      tape.pushBoolean(false);
      assertFalse(tape.popBoolean());
      assertEquals(2.5, tape.popDouble());
      assertEquals(0, tape.size());
    });
    Throwable[] failure = new Throwable[1];
    t.setUncaughtExceptionHandler((thread, ex) -> failure[0] = ex);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }
}
