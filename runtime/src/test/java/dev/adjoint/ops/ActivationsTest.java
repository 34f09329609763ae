package dev.adjoint.ops;

import static dev.adjoint.ops.Fixtures.assertGradient;
import static dev.adjoint.ops.Fixtures.dot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationsTest {
  private interface Pullback {
    void apply(float[] z, float[] seed, float[] dZ);
  }

  /** Random inputs kept at least 0.1 away from 0, where ReLU's kink would spoil differences. */
  private static float[] awayFromZero(Random rnd, int n) {
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      float m = 0.1f + 2.9f * rnd.nextFloat();
      z[i] = rnd.nextBoolean() ? m : -m;
    }
    return z;
  }

  private static void checkPullback(
      String name, UnaryOperator<float[]> f, Pullback pullback, long seed) {
    Random rnd = new Random(seed);
    for (int n : new int[] {1, 2, 7, 33}) {
      float[] z = awayFromZero(rnd, n);
      float[] s = Fixtures.random(rnd, n);
      float[] dZ = new float[n];
      pullback.apply(z, s, dZ);
      assertGradient(name + " n=" + n, v -> dot(s, f.apply(v)), z, dZ);

      float[] filled = Fixtures.random(rnd, n);
      float[] before = filled.clone();
      pullback.apply(z, s, filled);
      for (int i = 0; i < n; i++) {
        assertEquals(before[i] + dZ[i], filled[i], 0f, name + " adds into dZ[" + i + "]");
      }
      pullback.apply(z, s, null);
    }
    assertThrows(IllegalArgumentException.class,
        () -> pullback.apply(new float[3], new float[2], new float[3]));
    assertThrows(IllegalArgumentException.class,
        () -> pullback.apply(new float[3], new float[3], new float[4]));
  }

  @Test
  void reluForward() {
    float[] z = {-2f, -0f, 0f, 0.5f, 3f, Float.NaN, Float.NEGATIVE_INFINITY};
    float[] y = Activations.relu(z);
    assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 3f, Float.NaN, 0f}, y);
    assertEquals(0, Float.compare(0f, y[1]), "-0 becomes +0");
    assertEquals(-2f, z[0], "input unchanged");
  }

  @Test
  void reluPullback() {
    checkPullback("relu", Activations::relu, Activations::reluBackward, 11);
    float[] dZ = {1f, 1f, 1f};
    Activations.reluBackward(new float[] {0f, -1f, 2f}, new float[] {5f, 5f, 5f}, dZ);
    assertArrayEquals(new float[] {1f, 1f, 6f}, dZ, "relu'(0) = 0, relu'(-1) = 0, relu'(2) = 1");
  }

  @Test
  void reluPullbackLeavesNonPositiveLanesExactlyAsTheyWere() {
    // Lengths around the vector width reach the vector body and the scalar tail; NaN, -0.0 and
    // infinite inputs are not positive, and -0.0 in dZ must stay -0.0 there (not become -0 + 0).
    float[] specials = {0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE};
    Random rnd = new Random(13);
    for (int n : new int[] {1, 15, 16, 17, 33, 64, 100}) {
      float[] z = Fixtures.random(rnd, n);
      float[] s = Fixtures.random(rnd, n);
      float[] dZ = Fixtures.random(rnd, n);
      for (int i = 0; i < n; i += 3) {
        z[i] = specials[i % specials.length];
        dZ[i] = -0f;
      }
      float[] expected = dZ.clone();
      for (int i = 0; i < n; i++) {
        if (z[i] > 0f) {
          expected[i] = dZ[i] + s[i];
        }
      }
      Activations.reluBackward(z, s, dZ);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(dZ[i]),
            "n=" + n + ", z=" + z[i] + " at " + i);
      }
    }
  }

  @Test
  void sigmoidForwardIsAccurateAndStable() {
    Random rnd = new Random(12);
    float[] z = Fixtures.random(rnd, 200);
    float[] y = Activations.sigmoid(z);
    for (int i = 0; i < z.length; i++) {
      double ref = 1.0 / (1.0 + Math.exp(-(double) z[i]));
      assertEquals(ref, y[i], 1e-7, "sigmoid(" + z[i] + ")");
    }
    float[] extreme = Activations.sigmoid(new float[] {-1e4f, -100f, 0f, 100f, 1e4f});
    assertArrayEquals(new float[] {0f, (float) Math.exp(-100), 0.5f, 1f, 1f}, extreme);
  }

  @Test
  void sigmoidPullback() {
    checkPullback("sigmoid", Activations::sigmoid, Activations::sigmoidBackward, 13);
  }

  @Test
  void tanhMatchesMathTanh() {
    Random rnd = new Random(14);
    float[] z = new float[20000];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 6));
    }
    float[] y = Activations.tanh(z);
    for (int i = 0; i < z.length; i++) {
      float ref = (float) Math.tanh(z[i]);
      assertTrue(Math.abs(ref - y[i]) <= Math.ulp(ref), "tanh(" + z[i] + ") = " + y[i]);
    }
    float[] special = Activations.tanh(new float[] {0f, -0f, 1e30f, -1e30f, Float.NaN});
    assertArrayEquals(new float[] {0f, -0f, 1f, -1f, Float.NaN}, special);
    assertEquals(0, Float.compare(-0f, special[1]));
  }

  @Test
  void tanhPullback() {
    checkPullback("tanh", Activations::tanh, Activations::tanhBackward, 15);
  }
}
