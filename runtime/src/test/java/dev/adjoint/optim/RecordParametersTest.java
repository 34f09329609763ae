package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.NoDerivative;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Optimizers over records of parameters ({@link Optimizer#step(Record, Record)}, {@link
 * Parameters#of(Record, Record)}): the same steps, bit for bit, as on the records' arrays given
 * one by one, with scalars returned in a new record.
 */
class RecordParametersTest {
  record Params(double[] w, double b) {}

  record Layer(float[][] w, float[] b, float scale) {}

  /** Every kind of component: nested records, scalars, 1-D and 2-D, and what is left alone. */
  record Net(Layer hidden, Layer out, double temperature, double[][] mix, int width,
      boolean frozen, int[] sizes, @NoDerivative float[] mean, long seed) {}

  record Mlp(float[][] w, float[][] b) {}

  record Positive(double[] w, double s) {
    Positive {
      if (s < 0) {
        throw new IllegalArgumentException("s must be >= 0, got " + s);
      }
    }
  }

  record Cube(float[][][] w) {}

  record Other(double[] w) {}

  private static final List<Supplier<Optimizer>> OPTIMIZERS = List.of(
      () -> new Sgd(0.1), () -> new Momentum(0.05, 0.9), () -> new Adam(0.01),
      () -> new Adam(0.01, 0.9, 0.999, 1e-8, 0.01));

  private static float[] floats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  private static double[] doubles(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }

  /** A random net with a ragged hidden layer; {@code frozen} etc. as given. */
  private static Net net(Random r, int width, boolean frozen) {
    Layer hidden = new Layer(new float[][] {floats(r, 3), floats(r, 2)}, floats(r, 2),
        (float) r.nextGaussian());
    Layer out = new Layer(new float[][] {floats(r, 2)}, floats(r, 1), (float) r.nextGaussian());
    return new Net(hidden, out, r.nextGaussian(), new double[][] {doubles(r, 2), doubles(r, 4)},
        width, frozen, new int[] {width, 1}, floats(r, 3), r.nextLong());
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  @Test
  void aRecordOfAnArrayAndAScalarStepsAsTheArrayAndAScalarHolder() {
    for (Supplier<Optimizer> make : OPTIMIZERS) {
      Random r = new Random(3);
      Params p = new Params(doubles(r, 4), r.nextGaussian());
      double[] w = p.w().clone();
      Scalar b = new Scalar(p.b());
      double[] dw = new double[4];
      Parameters flat = Parameters.builder().add(w, dw).add(b).build();
      Optimizer onRecord = make.get();
      Optimizer onArrays = make.get();
      for (int step = 0; step < 5; step++) {
        Params g = new Params(doubles(r, 4), r.nextGaussian());
        System.arraycopy(g.w(), 0, dw, 0, 4);
        b.setGrad(g.b());
        Params before = p;
        double[] wBefore = p.w();
        p = onRecord.step(p, g);
        onArrays.step(flat);
        assertNotSame(before, p, "a record with a scalar comes back new");
        assertSame(wBefore, p.w(), "its array is the same, updated in place");
        assertArrayEquals(w, p.w(), make.get().getClass().getSimpleName());   // bit for bit
        assertEquals(Double.doubleToLongBits(b.value()), Double.doubleToLongBits(p.b()));
      }
      assertEquals(5, onRecord.steps());
    }
  }

  @Test
  void nestedRecordsStepEveryFloatingComponentAndLeaveTheRestAlone() {
    for (Supplier<Optimizer> make : OPTIMIZERS) {
      Random r = new Random(5);
      Net net = net(r, 7, true);
      float[] meanBefore = net.mean().clone();
      // The same values as arrays and holders, in the record's order, depth first.
      float[][] hw = copy(net.hidden().w());
      float[] hb = net.hidden().b().clone();
      FloatScalar hs = new FloatScalar(net.hidden().scale());
      float[][] ow = copy(net.out().w());
      float[] ob = net.out().b().clone();
      FloatScalar os = new FloatScalar(net.out().scale());
      Scalar t = new Scalar(net.temperature());
      double[][] mix = copy(net.mix());
      float[][] dhw = {new float[3], new float[2]};
      float[] dhb = new float[2];
      float[][] dow = {new float[2]};
      float[] dob = new float[1];
      double[][] dmix = {new double[2], new double[4]};
      Parameters flat = Parameters.builder().add(hw, dhw).add(hb, dhb).add(hs).add(ow, dow)
          .add(ob, dob).add(os).add(t).add(mix, dmix).build();
      Optimizer onRecord = make.get();
      Optimizer onArrays = make.get();
      for (int step = 0; step < 4; step++) {
        // A gradient whose left-alone components differ from the net's: they must not matter.
        Net g = net(r, 99, false);
        for (int i = 0; i < 2; i++) {
          System.arraycopy(g.hidden().w()[i], 0, dhw[i], 0, dhw[i].length);
          System.arraycopy(g.mix()[i], 0, dmix[i], 0, dmix[i].length);
        }
        System.arraycopy(g.hidden().b(), 0, dhb, 0, 2);
        System.arraycopy(g.out().w()[0], 0, dow[0], 0, 2);
        dob[0] = g.out().b()[0];
        hs.setGrad(g.hidden().scale());
        os.setGrad(g.out().scale());
        t.setGrad(g.temperature());
        Net before = net;
        net = onRecord.step(net, g);
        onArrays.step(flat);

        assertSame(before.hidden().w(), net.hidden().w());
        assertSame(before.mix(), net.mix());
        for (int i = 0; i < 2; i++) {
          assertArrayEquals(hw[i], net.hidden().w()[i]);
          assertArrayEquals(mix[i], net.mix()[i]);
        }
        assertArrayEquals(hb, net.hidden().b());
        assertArrayEquals(ow[0], net.out().w()[0]);
        assertArrayEquals(ob, net.out().b());
        assertEquals(Float.floatToIntBits(hs.value()), Float.floatToIntBits(net.hidden().scale()));
        assertEquals(Float.floatToIntBits(os.value()), Float.floatToIntBits(net.out().scale()));
        assertEquals(Double.doubleToLongBits(t.value()), Double.doubleToLongBits(
            net.temperature()));
        // Left alone: the integral and boolean components, the int[] and the @NoDerivative one.
        assertEquals(7, net.width());
        assertTrue(net.frozen());
        assertSame(before.sizes(), net.sizes());
        assertArrayEquals(new int[] {7, 1}, net.sizes());
        assertSame(before.mean(), net.mean());
        assertArrayEquals(meanBefore, net.mean());
        assertEquals(before.seed(), net.seed());
      }
    }
  }

  @Test
  void aRecordOfArraysComesBackItselfAndEqualsParametersOf() {
    Random r = new Random(8);
    Mlp model = new Mlp(new float[][] {floats(r, 6), floats(r, 3)},
        new float[][] {floats(r, 3), floats(r, 2)});
    Mlp twin = new Mlp(copy(model.w()), copy(model.b()));
    Mlp grad = new Mlp(new float[][] {new float[6], new float[3]},
        new float[][] {new float[3], new float[2]});
    Adam onRecord = new Adam(0.01);
    Adam onParameters = new Adam(0.01);
    Parameters params = Parameters.of(twin, grad);
    assertEquals(6 + 3 + 3 + 2, params.count());
    for (int step = 0; step < 6; step++) {
      for (float[] row : grad.w()) {
        System.arraycopy(floats(r, row.length), 0, row, 0, row.length);
      }
      for (float[] row : grad.b()) {
        System.arraycopy(floats(r, row.length), 0, row, 0, row.length);
      }
      assertSame(model, onRecord.step(model, grad));
      onParameters.step(params);
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(twin.w()[i], model.w()[i]);
        assertArrayEquals(twin.b()[i], model.b()[i]);
      }
    }
  }

  @Test
  void stepsOnTheSameRecordsOfArraysAllocateNothing() {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    Mlp model = new Mlp(new float[][] {new float[1000], new float[10]},
        new float[][] {new float[100], new float[10]});
    Mlp grad = new Mlp(new float[][] {new float[1000], new float[10]},
        new float[][] {new float[100], new float[10]});
    Arrays.fill(grad.w()[0], 0.5f);
    for (Optimizer opt : new Optimizer[] {new Sgd(0.1), new Momentum(0.1, 0.9), new Adam(0.1)}) {
      for (int s = 0; s < 100; s++) {
        opt.step(model, grad);   // past class loading and the first compilations
      }
      long before = threads.getThreadAllocatedBytes(thread);
      for (int s = 0; s < 200; s++) {
        opt.step(model, grad);
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      // Taking the records apart again would be hundreds of bytes per step.
      assertTrue(allocated < 1024, opt.getClass().getSimpleName() + " allocated " + allocated);
    }
  }

  @Test
  void aRowReplacedBetweenStepsIsTheOneStepped() {
    Mlp model = new Mlp(new float[][] {{1f, 2f}}, new float[][] {{0f}});
    Mlp grad = new Mlp(new float[][] {{1f, 1f}}, new float[][] {{1f}});
    Sgd sgd = new Sgd(0.5);
    sgd.step(model, grad);
    float[] old = model.w()[0];
    model.w()[0] = new float[] {10f, 20f};   // the record is the same, its row is not
    grad.w()[0] = new float[] {2f, 2f};
    sgd.step(model, grad);
    assertArrayEquals(new float[] {9f, 19f}, model.w()[0]);
    assertArrayEquals(new float[] {0.5f, 1.5f}, old);
    assertArrayEquals(new float[] {-1f}, model.b()[0]);
  }

  @Test
  void stateOfRecordStepsRestoresIntoStepsOnTheArraysAndBack() {
    Random r = new Random(13);
    Params p = new Params(doubles(r, 3), 0.25);
    Params g = new Params(doubles(r, 3), -0.5);
    Adam first = new Adam(0.05);
    p = first.step(p, g);
    p = first.step(p, g);
    OptimizerState saved = first.state();
    assertEquals(2 * 2, saved.doubleBuffers().length);   // moments of w and of b

    double[] w = p.w().clone();
    Scalar b = new Scalar(p.b());
    b.setGrad(g.b());
    Adam onArrays = new Adam(0.05);
    onArrays.restore(saved);
    onArrays.step(Parameters.builder().add(w, g.w()).add(b).build());
    Adam again = new Adam(0.05);
    again.restore(saved);
    Params q = again.step(new Params(p.w().clone(), p.b()), g);
    p = first.step(p, g);
    assertArrayEquals(p.w(), w);
    assertArrayEquals(p.w(), q.w());
    assertEquals(Double.doubleToLongBits(p.b()), Double.doubleToLongBits(b.value()));
    assertEquals(Double.doubleToLongBits(p.b()), Double.doubleToLongBits(q.b()));
    assertEquals(3, again.steps());
  }

  @Test
  void theInterfacesDefaultStepsRecordsThroughParameters() {
    Sgd sgd = new Sgd(0.5);
    Optimizer wrapped = new Optimizer() {
      public void step(float[][] params, float[][] grads) {
        sgd.step(params, grads);
      }

      public void step(Parameters params) {
        sgd.step(params);
      }

      public double learningRate() {
        return sgd.learningRate();
      }

      public void setLearningRate(double learningRate) {
        sgd.setLearningRate(learningRate);
      }

      public long steps() {
        return sgd.steps();
      }

      public OptimizerState state() {
        return sgd.state();
      }

      public void restore(OptimizerState state) {
        sgd.restore(state);
      }
    };
    Params p = wrapped.step(new Params(new double[] {1, 2}, 3), new Params(new double[] {2, 4}, 1));
    assertArrayEquals(new double[] {0, 0}, p.w());
    assertEquals(2.5, p.b());
  }

  @Test
  void shapeErrorsNameTheComponent() {
    Random r = new Random(2);
    Net net = net(r, 1, false);
    Net wrongRow = new Net(
        new Layer(new float[][] {new float[3], new float[1]}, new float[2], 0f),
        net.out(), 0, net.mix(), 1, false, null, null, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Sgd(0.1).step(net, wrongRow));
    assertEquals("Net.hidden.w[1] has length 2 but its gradient has length 1", e.getMessage());

    Net fewerRows = new Net(net.hidden(), net.out(), 0, new double[][] {new double[2]}, 1, false,
        null, null, 0);
    e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).step(net, fewerRows));
    assertEquals("Net.mix has 2 rows but its gradient has 1", e.getMessage());

    Net nullArray = new Net(net.hidden(), new Layer(net.out().w(), null, 0f), 0, net.mix(), 1,
        false, null, null, 0);
    NullPointerException npe = assertThrows(NullPointerException.class,
        () -> new Sgd(0.1).step(net, nullArray));
    assertEquals("the gradient of Net.out.b is null", npe.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> new Sgd(0.1).step((Record) new Params(new double[1], 0),
            new Other(new double[1])));
    assertTrue(e.getMessage().startsWith("the gradient is a " + Other.class.getName()
        + ", the parameters a " + Params.class.getName()), e.getMessage());

    // Against the first step: the optimizer's buffers were made for other shapes.
    Adam adam = new Adam(0.1);
    adam.step(new Params(new double[3], 0), new Params(new double[3], 0));
    e = assertThrows(IllegalArgumentException.class,
        () -> adam.step(new Params(new double[4], 0), new Params(new double[4], 0)));
    assertEquals("Params.w has length 4, this optimizer was set up for 3 (double parameter"
        + " array 0)", e.getMessage());
    Adam mlp = new Adam(0.1);
    Mlp two = new Mlp(new float[][] {new float[2], new float[2]}, new float[][] {new float[1]});
    mlp.step(two, two);
    Mlp three = new Mlp(new float[][] {new float[2], new float[2], new float[2]},
        new float[][] {new float[1]});
    e = assertThrows(IllegalArgumentException.class, () -> mlp.step(three, three));
    assertEquals("this optimizer was set up for 3 parameter arrays, got 4 (Mlp.w[0], Mlp.w[1],"
        + " Mlp.w[2], Mlp.b[0])", e.getMessage());
  }

  @Test
  void unsupportedComponentsScalarsInParametersOfAndRejectedValuesAreClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Sgd(0.1).step(new Cube(new float[1][1][1]), new Cube(new float[1][1][1])));
    assertTrue(e.getMessage().startsWith("the component w of " + Cube.class.getName()
        + " is a float[][][]: optimizers step float and double scalars"), e.getMessage());

    Params p = new Params(new double[2], 1);
    e = assertThrows(IllegalArgumentException.class, () -> Parameters.of(p, p));
    assertEquals("Params.b (a double) is a scalar, which a record cannot update in place: step"
        + " the record itself, params = optimizer.step(params, grads), which returns it with its"
        + " new scalars", e.getMessage());
    Net net = net(new Random(1), 1, false);
    e = assertThrows(IllegalArgumentException.class, () -> Parameters.of(net, net));
    assertTrue(e.getMessage().startsWith("Net.hidden.scale (a float) is a scalar"),
        e.getMessage());

    Positive positive = new Positive(new double[] {1}, 0.1);
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sgd(1).step(positive, new Positive(new double[] {0}, 1)));
    assertTrue(e.getMessage().contains("rejected the updated parameters")
        && e.getMessage().contains("s must be >= 0, got -0.9"), e.getMessage());
  }
}
