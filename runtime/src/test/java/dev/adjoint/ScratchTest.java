package dev.adjoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void reusesTheSameBuffersCallAfterCallAndZeroesThem() {
    float[] first;
    double[][] firstRows;
    try (Scratch scratch = Scratch.open()) {
      first = scratch.floats(5);
      firstRows = scratch.doublesLike(new double[][] {new double[2], null, new double[3]});
      first[4] = 7;
      firstRows[2][1] = 3;
    }
    try (Scratch scratch = Scratch.open()) {
      float[] again = scratch.floats(5);
      double[][] rowsAgain =
          scratch.doublesLike(new double[][] {new double[2], null, new double[3]});
      assertSame(first, again);
      assertSame(firstRows, rowsAgain);
      assertArrayEquals(new float[5], again);
      assertArrayEquals(new double[3], rowsAgain[2]);
      assertNull(rowsAgain[1]);
    }
  }

  @Test
  void aNestedFrameNeverGetsABufferItsCallerStillUses() {
    try (Scratch outer = Scratch.open()) {
      double[] a = outer.doubles(4);
      a[0] = 1;
      int inUse = outer.inUse();
      try (Scratch inner = Scratch.open()) {
        double[] b = inner.doubles(4);
        assertNotSame(a, b);
        b[0] = 2;
      }
      assertEquals(inUse, outer.inUse());
      assertEquals(1, a[0]);
      // Taken after the nested frame closed: the nested frame's buffer, zeroed.
      double[] c = outer.doubles(4);
      assertNotSame(a, c);
      assertEquals(0, c[0]);
    }
  }

  @Test
  void aChangedShapeGetsANewBufferOfExactlyThatShape() {
    try (Scratch scratch = Scratch.open()) {
      assertEquals(3, scratch.floats(3).length);
    }
    try (Scratch scratch = Scratch.open()) {
      assertEquals(8, scratch.floats(8).length);
      float[][] rows = scratch.floatsLike(new float[][] {new float[1], new float[4]});
      assertEquals(1, rows[0].length);
      assertEquals(4, rows[1].length);
    }
    try (Scratch scratch = Scratch.open()) {
      scratch.floats(8);
      float[][] rows = scratch.floatsLike(new float[][] {new float[2], new float[4], null});
      assertEquals(2, rows[0].length);
      assertEquals(4, rows[1].length);
      assertNull(rows[2]);
    }
  }

  @Test
  void threadsHaveArenasOfTheirOwn() throws InterruptedException {
    float[] mine;
    try (Scratch scratch = Scratch.open()) {
      mine = scratch.floats(6);
    }
    AtomicReference<float[]> theirs = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try (Scratch scratch = Scratch.open()) {
        theirs.set(scratch.floats(6));
      }
    });
    t.start();
    t.join();
    assertNotSame(mine, theirs.get());
  }

  @Test
  void closingMoreOftenThanOpeningIsAClearError() throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      Scratch scratch = Scratch.open();
      scratch.close();
      thrown.set(assertThrows(IllegalStateException.class, scratch::close));
    });
    t.start();
    t.join();
    assertEquals(IllegalStateException.class, thrown.get().getClass());
  }
}
