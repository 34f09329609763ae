package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks compare equal work: each hand-written or forward-mode gradient agrees with the
 * generated one at the benchmarked inputs.
 */
class SameWorkTest {
  /** Double precision: every component agrees to 1e-9, relative to itself. */
  private static final double DOUBLE_TOLERANCE = 1e-9;
  /**
   * Single precision: the layers sum the same products in different orders (and the softmax
   * loss is -log(softmax) by hand, log-sum-exp minus score in the function), so agreement is to
   * float rounding, relative to the largest component of each gradient.
   */
  private static final double FLOAT_TOLERANCE = 1e-5;

  @Test
  void rosenbrockHandAndGeneratedAgree() {
    double[] x = Data.uniform(RosenbrockBenchmark.N, -2, 2, 42);
    RosenbrockGrad.Rosenbrock generated = RosenbrockGrad.rosenbrock(x);
    double[] hand = new double[x.length];
    double handValue = Rosenbrock.rosenbrockGradient(x, hand);
    assertClose(Rosenbrock.rosenbrock(x), handValue, DOUBLE_TOLERANCE);
    assertClose(generated.value(), handValue, DOUBLE_TOLERANCE);
    assertClose(generated.x(), hand, DOUBLE_TOLERANCE);

    // The accumulating form adds: twice into the same buffer is twice the gradient.
    RosenbrockGrad.RosenbrockAccumulator acc = RosenbrockGrad.RosenbrockAccumulator.zerosLike(x);
    RosenbrockGrad.rosenbrock(x, acc);
    RosenbrockGrad.rosenbrock(x, acc);
    double[] twice = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      twice[i] = 2 * hand[i];
    }
    assertClose(acc.x, twice, DOUBLE_TOLERANCE);
  }

  @Test
  void leastSquaresHelperInlineAndHandAgree() {
    LeastSquaresBenchmark b = new LeastSquaresBenchmark();
    double a = LeastSquaresBenchmark.A;
    double bb = LeastSquaresBenchmark.B;
    double c = LeastSquaresBenchmark.C;
    double[] hand = new double[3];
    double handValue = LeastSquares.lossGradient(a, bb, c, b.t, b.y, hand);
    LeastSquaresGrad.Loss helper = LeastSquaresGrad.loss(a, bb, c, b.t, b.y);
    LeastSquaresGrad.LossInline inline = LeastSquaresGrad.lossInline(a, bb, c, b.t, b.y);
    assertClose(LeastSquares.loss(a, bb, c, b.t, b.y), handValue, DOUBLE_TOLERANCE);
    assertClose(helper.value(), handValue, DOUBLE_TOLERANCE);
    assertClose(inline.value(), handValue, DOUBLE_TOLERANCE);
    assertClose(new double[] {helper.a(), helper.b(), helper.c()}, hand, DOUBLE_TOLERANCE);
    assertClose(new double[] {inline.a(), inline.b(), inline.c()}, hand, DOUBLE_TOLERANCE);
    LeastSquaresGrad.LossExpLocal local = LeastSquaresGrad.lossExpLocal(a, bb, c, b.t, b.y);
    assertClose(local.value(), handValue, DOUBLE_TOLERANCE);
    assertClose(new double[] {local.a(), local.b(), local.c()}, hand, DOUBLE_TOLERANCE);
  }

  @Test
  void forwardModeAndGeneratedAgree() {
    double[] x = Data.uniform(ForwardModeBenchmark.N, -2, 2, 7);
    double[] forward = new double[x.length];
    double value = new ForwardModeRosenbrock(x.length).valueAndGradient(x, forward);
    RosenbrockGrad.Rosenbrock generated = RosenbrockGrad.rosenbrock(x);
    assertClose(generated.value(), value, DOUBLE_TOLERANCE);
    assertClose(generated.x(), forward, DOUBLE_TOLERANCE);
  }

  @Test
  void layerLoopHandAndGeneratedAgreeBitForBit() {
    // The same ops in the same order: the hand-written step is the generated one, bit for bit,
    // for the static layer loop and for the model record alike.
    LayerLoopBenchmark bench = new LayerLoopBenchmark();
    for (LayerLoopBenchmark.Net net : new LayerLoopBenchmark.Net[] {
        new LayerLoopBenchmark.Net(new int[] {Mlp.IN, Mlp.HIDDEN, Mlp.OUT}),
        new LayerLoopBenchmark.Net(new int[] {Mlp.IN, 256, 128, Mlp.OUT})}) {
      float generated = net.generated();
      float record = net.record();
      float hand = net.hand();
      assertEquals(LayerLoopMlp.loss(net.w, net.b, net.x, net.labels, Mlp.BATCH, net.widths),
          generated);
      assertEquals(hand, generated);
      assertEquals(hand, record);
      for (int l = 0; l < net.w.length; l++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dW[l], net.accumulator.w[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dB[l], net.accumulator.b[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dW[l],
            net.loopModelAccumulator.self.w()[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dB[l],
            net.loopModelAccumulator.self.b()[l]);
      }
      // The model record, its loss calling this.layer in the loop or with the layer inline:
      // the same ops again.
      assertEquals(hand, net.recordCall());
      assertEquals(hand, net.recordInline());
      for (int l = 0; l < net.w.length; l++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dW[l],
            net.modelAccumulator.self.w()[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dB[l],
            net.modelAccumulator.self.b()[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dW[l],
            net.inlineAccumulator.self.w()[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dB[l],
            net.inlineAccumulator.self.b()[l]);
      }
      // The recursive model record: the same ops, the calls chained through the accumulating
      // form of forward.
      assertEquals(hand, net.recursive());
      for (int l = 0; l < net.w.length; l++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dW[l],
            net.recursiveAccumulator.self.w()[l]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(net.dB[l],
            net.recursiveAccumulator.self.b()[l]);
      }
    }
    assertTrue(bench.oneHiddenGenerated() > 0);
  }

  @Test
  void mlpHandAndGeneratedAgree() {
    MlpInputs in = new MlpInputs();
    HandMlp hand = new HandMlp(Mlp.BATCH);
    float[] dw1 = new float[in.w1.length];
    float[] db1 = new float[in.b1.length];
    float[] dw2 = new float[in.w2.length];
    float[] db2 = new float[in.b2.length];
    float handLoss = hand.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
    // Ten classes, weights near zero: the loss is near log(10).
    assertEquals(Math.log(10), handLoss, 0.05);
    assertClose(hand.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels), handLoss, 0);
    assertClose(Mlp.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels), handLoss,
        FLOAT_TOLERANCE);

    MlpGrad.Loss flat = MlpGrad.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
    assertClose(flat.value(), handLoss, FLOAT_TOLERANCE);
    assertClose(flat.w1(), dw1, FLOAT_TOLERANCE);
    assertClose(flat.b1(), db1, FLOAT_TOLERANCE);
    assertClose(flat.w2(), dw2, FLOAT_TOLERANCE);
    assertClose(flat.b2(), db2, FLOAT_TOLERANCE);

    MlpGrad.LossDot dot = MlpGrad.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
    assertClose(dot.value(), handLoss, FLOAT_TOLERANCE);
    assertClose(dot.w1(), dw1, FLOAT_TOLERANCE);
    assertClose(dot.b1(), db1, FLOAT_TOLERANCE);
    assertClose(dot.w2(), dw2, FLOAT_TOLERANCE);
    assertClose(dot.b2(), db2, FLOAT_TOLERANCE);

    MlpGrad.LossRows rows =
        MlpGrad.lossRows(in.w1Rows, in.b1, in.w2Rows, in.b2, in.xRows, in.labels);
    assertClose(rows.value(), handLoss, FLOAT_TOLERANCE);
    assertClose(Data.flat(rows.w1()), dw1, FLOAT_TOLERANCE);
    assertClose(rows.b1(), db1, FLOAT_TOLERANCE);
    assertClose(Data.flat(rows.w2()), dw2, FLOAT_TOLERANCE);
    assertClose(rows.b2(), db2, FLOAT_TOLERANCE);
  }

  /** Every spelling in the per-idiom table: generated accumulating form against the hand one. */
  @Test
  void loopIdiomsHandAndGeneratedAgree() {
    double[] x = Data.uniform(LoopIdiomBenchmark.N, -2, 2, 42);
    double[] rosen = new double[x.length];
    double rosenValue = LoopIdioms.rosenHand(x, rosen);
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenLessMinusOne, xs -> {
      var acc = LoopIdiomsGrad.RosenLessMinusOneAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenLessMinusOne(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenPlusOneLess, xs -> {
      var acc = LoopIdiomsGrad.RosenPlusOneLessAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenPlusOneLess(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenGreaterFlipped, xs -> {
      var acc = LoopIdiomsGrad.RosenGreaterFlippedAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenGreaterFlipped(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenNotEqual, xs -> {
      var acc = LoopIdiomsGrad.RosenNotEqualAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenNotEqual(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenDescending, xs -> {
      var acc = LoopIdiomsGrad.RosenDescendingAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenDescending(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenWhile, xs -> {
      var acc = LoopIdiomsGrad.RosenWhileAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenWhile(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenCountDown, xs -> {
      var acc = LoopIdiomsGrad.RosenCountDownAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenCountDown(xs, acc), acc.x);
    });
    checkIdiom(x, rosenValue, rosen, LoopIdioms::rosenInline, xs -> {
      var acc = LoopIdiomsGrad.RosenInlineAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenInline(xs, acc), acc.x);
    });

    double[] pairs = new double[x.length];
    double pairsValue = LoopIdioms.rosenPairsHand(x, pairs);
    // Even components get -400 a x - 2 b, odd ones 200 a: every pair is covered.
    assertTrue(pairs[x.length - 2] != 0 && pairs[x.length - 1] != 0);
    checkIdiom(x, pairsValue, pairs, LoopIdioms::rosenPairs, xs -> {
      var acc = LoopIdiomsGrad.RosenPairsAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.rosenPairs(xs, acc), acc.x);
    });

    double[] y = Data.uniform(LoopIdiomBenchmark.N_PAIRS, -1, 1, 43);
    double[] potential = new double[y.length];
    double potentialValue = LoopIdioms.pairsHand(y, potential);
    checkIdiom(y, potentialValue, potential, LoopIdioms::pairsBelow, xs -> {
      var acc = LoopIdiomsGrad.PairsBelowAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.pairsBelow(xs, acc), acc.x);
    });
    checkIdiom(y, potentialValue, potential, LoopIdioms::pairsAbove, xs -> {
      var acc = LoopIdiomsGrad.PairsAboveAccumulator.zerosLike(xs);
      return new Generated(LoopIdiomsGrad.pairsAbove(xs, acc), acc.x);
    });
  }

  /**
   * Every row of the construct table: the construct and its plain spelling give the same value
   * (the function, and the gradient's) and the same gradient, at the benchmarked inputs; the
   * gradients leave their inputs as they were (the in-place functions' too).
   */
  @Test
  void constructsAndPlainSpellingsAgree() {
    ConstructBenchmark b = new ConstructBenchmark();
    double[] x = b.x;
    int[] k = b.kind;
    double c = ConstructBenchmark.C;
    Function<double[], Generated> countDown = xs -> {
      var acc = ConstructsGrad.CountDownPlainAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.countDownPlain(xs, acc), acc.x);
    };
    checkConstruct(x, Constructs::countDownPostConstruct, Constructs::countDownPlain, xs -> {
      var acc = ConstructsGrad.CountDownPostConstructAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.countDownPostConstruct(xs, acc), acc.x);
    }, countDown);
    checkConstruct(x, Constructs::countDownPreConstruct, Constructs::countDownPlain, xs -> {
      var acc = ConstructsGrad.CountDownPreConstructAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.countDownPreConstruct(xs, acc), acc.x);
    }, countDown);
    checkConstruct(x, Constructs::postIncrementIndexConstruct, Constructs::postIncrementIndexPlain,
        xs -> {
          var acc = ConstructsGrad.PostIncrementIndexConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.postIncrementIndexConstruct(xs, acc), acc.x);
        }, xs -> {
          var acc = ConstructsGrad.PostIncrementIndexPlainAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.postIncrementIndexPlain(xs, acc), acc.x);
        });

    Function<double[], Generated> ifChain = xs -> {
      var acc = ConstructsGrad.SwitchStatementPlainAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.switchStatementPlain(xs, k, acc), acc.x);
    };
    // Every case of the switches is taken.
    assertEquals(4, java.util.Arrays.stream(k).distinct().count());
    checkConstruct(x, xs -> Constructs.switchColonConstruct(xs, k),
        xs -> Constructs.switchStatementPlain(xs, k), xs -> {
          var acc = ConstructsGrad.SwitchColonConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.switchColonConstruct(xs, k, acc), acc.x);
        }, ifChain);
    checkConstruct(x, xs -> Constructs.switchArrowConstruct(xs, k),
        xs -> Constructs.switchStatementPlain(xs, k), xs -> {
          var acc = ConstructsGrad.SwitchArrowConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.switchArrowConstruct(xs, k, acc), acc.x);
        }, ifChain);
    checkConstruct(x, xs -> Constructs.switchExpressionConstruct(xs, k),
        xs -> Constructs.switchExpressionPlain(xs, k), xs -> {
          var acc = ConstructsGrad.SwitchExpressionConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.switchExpressionConstruct(xs, k, acc), acc.x);
        }, xs -> {
          var acc = ConstructsGrad.SwitchExpressionPlainAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.switchExpressionPlain(xs, k, acc), acc.x);
        });

    checkConstruct(x, Constructs::compoundInExpressionConstruct,
        Constructs::compoundInExpressionPlain, xs -> {
          var acc = ConstructsGrad.CompoundInExpressionConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.compoundInExpressionConstruct(xs, acc), acc.x);
        }, xs -> {
          var acc = ConstructsGrad.CompoundInExpressionPlainAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.compoundInExpressionPlain(xs, acc), acc.x);
        });
    checkConstruct(b.unsorted, Constructs::sortInPlaceConstruct, Constructs::sortInPlacePlain,
        xs -> {
          var acc = ConstructsGrad.SortInPlaceConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.sortInPlaceConstruct(xs, acc), acc.x);
        }, xs -> {
          var acc = ConstructsGrad.SortInPlacePlainAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.sortInPlacePlain(xs, acc), acc.x);
        });
    checkConstruct(x, Constructs::mapInPlaceConstruct, Constructs::mapInPlacePlain, xs -> {
      var acc = ConstructsGrad.MapInPlaceConstructAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.mapInPlaceConstruct(xs, acc), acc.x);
    }, xs -> {
      var acc = ConstructsGrad.MapInPlacePlainAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.mapInPlacePlain(xs, acc), acc.x);
    });
    checkConstruct(b.unit, xs -> Constructs.outParameterConstruct(xs, c),
        xs -> Constructs.outParameterPlain(xs, c), xs -> {
          var acc = ConstructsGrad.OutParameterConstructAccumulator.zerosLike(xs);
          double v = ConstructsGrad.outParameterConstruct(xs, c, acc);
          return new Generated(v, append(acc.x, acc.c));
        }, xs -> {
          var acc = ConstructsGrad.OutParameterPlainAccumulator.zerosLike(xs);
          double v = ConstructsGrad.outParameterPlain(xs, c, acc);
          return new Generated(v, append(acc.x, acc.c));
        });

    Function<double[], Generated> manualCopy = xs -> {
      var acc = ConstructsGrad.CopyPlainAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.copyPlain(xs, acc), acc.x);
    };
    checkConstruct(b.half, Constructs::cloneConstruct, Constructs::copyPlain, xs -> {
      var acc = ConstructsGrad.CloneConstructAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.cloneConstruct(xs, acc), acc.x);
    }, manualCopy);
    checkConstruct(b.half, Constructs::copyOfConstruct, Constructs::copyPlain, xs -> {
      var acc = ConstructsGrad.CopyOfConstructAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.copyOfConstruct(xs, acc), acc.x);
    }, manualCopy);

    Function<double[], Generated> forLoop = xs -> {
      var acc = ConstructsGrad.WhileTruePlainAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.whileTruePlain(xs, acc), acc.x);
    };
    checkConstruct(x, Constructs::whileTrueBreakLastConstruct, Constructs::whileTruePlain, xs -> {
      var acc = ConstructsGrad.WhileTrueBreakLastConstructAccumulator.zerosLike(xs);
      return new Generated(ConstructsGrad.whileTrueBreakLastConstruct(xs, acc), acc.x);
    }, forLoop);
    checkConstruct(x, Constructs::whileTrueBreakFirstConstruct, Constructs::whileTruePlain,
        xs -> {
          var acc = ConstructsGrad.WhileTrueBreakFirstConstructAccumulator.zerosLike(xs);
          return new Generated(ConstructsGrad.whileTrueBreakFirstConstruct(xs, acc), acc.x);
        }, forLoop);
  }

  private static double[] append(double[] a, double last) {
    double[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = last;
    return out;
  }

  /**
   * The construct's function and gradient against its plain spelling's, each function called
   * on a fresh copy of the input (the in-place ones sort or map it).
   */
  private static void checkConstruct(double[] x, ToDoubleFunction<double[]> construct,
      ToDoubleFunction<double[]> plain, Function<double[], Generated> constructGradient,
      Function<double[], Generated> plainGradient) {
    double[] input = x.clone();
    double value = plain.applyAsDouble(x.clone());
    assertTrue(value != 0 && Double.isFinite(value));
    assertClose(construct.applyAsDouble(x.clone()), value, DOUBLE_TOLERANCE);
    Generated p = plainGradient.apply(x);
    Generated g = constructGradient.apply(x);
    assertArrayEquals(input, x, "a gradient modified its input");
    assertClose(p.value(), value, DOUBLE_TOLERANCE);
    assertClose(g.value(), value, DOUBLE_TOLERANCE);
    double[] expected = p.gradient();
    double[] actual = g.gradient();
    assertEquals(expected.length, actual.length);
    double scale = java.util.Arrays.stream(expected).map(Math::abs).max().orElse(0);
    assertTrue(scale > 0);
    // Each component to 1e-9 of itself, with a floor of 1e-12 of the largest (for zeros).
    for (int i = 0; i < expected.length; i++) {
      int at = i;
      assertTrue(Math.abs(actual[i] - expected[i])
              <= DOUBLE_TOLERANCE * Math.abs(expected[i]) + 1e-12 * scale,
          () -> "component " + at + ": " + actual[at] + " vs " + expected[at]);
    }
  }

  /** The value and gradient one generated accumulating form returned. */
  private record Generated(double value, double[] gradient) {}

  private static void checkIdiom(double[] x, double handValue, double[] hand,
      ToDoubleFunction<double[]> function, Function<double[], Generated> generated) {
    assertClose(function.applyAsDouble(x), handValue, DOUBLE_TOLERANCE);
    Generated g = generated.apply(x);
    assertClose(g.value(), handValue, DOUBLE_TOLERANCE);
    assertClose(g.gradient(), hand, DOUBLE_TOLERANCE);
  }

  @Test
  void recordModelAndFlatParametersAgree() {
    MlpInputs in = new MlpInputs();
    RecordMlp model = new RecordMlp(in.w1, in.b1, in.w2, in.b2);
    MlpGrad.Loss flat = MlpGrad.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
    RecordMlpGrad.Loss record = RecordMlpGrad.loss(model, in.x, in.labels);
    // The same body, so the same code: the same floats.
    assertEquals(flat.value(), record.value());
    assertArrayEquals(flat.w1(), record.self().w1());
    assertArrayEquals(flat.b1(), record.self().b1());
    assertArrayEquals(flat.w2(), record.self().w2());
    assertArrayEquals(flat.b2(), record.self().b2());
  }

  @Test
  void outputMajorMlpHandAndGeneratedAgree() {
    MlpInputs in = new MlpInputs();
    HandMlpOutputMajor hand = new HandMlpOutputMajor(Mlp.BATCH);
    float[] dw1 = new float[in.w1.length];
    float[] db1 = new float[in.b1.length];
    float[] dw2 = new float[in.w2.length];
    float[] db2 = new float[in.b2.length];
    float handLoss = hand.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
    assertEquals(Math.log(10), handLoss, 0.05);
    assertClose(MlpOutputMajor.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels), handLoss,
        FLOAT_TOLERANCE);
    MlpOutputMajorGrad.LossDot dot =
        MlpOutputMajorGrad.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
    assertClose(dot.value(), handLoss, FLOAT_TOLERANCE);
    assertClose(dot.w1(), dw1, FLOAT_TOLERANCE);
    assertClose(dot.b1(), db1, FLOAT_TOLERANCE);
    assertClose(dot.w2(), dw2, FLOAT_TOLERANCE);
    assertClose(dot.b2(), db2, FLOAT_TOLERANCE);
  }

  private static void assertClose(double actual, double expected, double relative) {
    assertTrue(Math.abs(actual - expected) <= relative * Math.abs(expected),
        () -> actual + " vs " + expected);
  }

  /** Each component to {@code relative}, relative to that component. */
  private static void assertClose(double[] actual, double[] expected, double relative) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      int at = i;
      assertTrue(Math.abs(actual[i] - expected[i]) <= relative * Math.abs(expected[i]),
          () -> "component " + at + ": " + actual[at] + " vs " + expected[at]);
    }
  }

  /** Each component to {@code relative}, relative to the largest component. */
  private static void assertCloseScaled(double[] actual, double[] expected, double relative) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 0);
    for (int i = 0; i < expected.length; i++) {
      int at = i;
      assertTrue(Math.abs(actual[i] - expected[i]) <= relative * scale,
          () -> "component " + at + ": " + actual[at] + " vs " + expected[at]);
    }
  }

  private static void assertClose(float[] actual, float[] expected, double relative) {
    double[] a = new double[actual.length];
    double[] e = new double[expected.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = actual[i];
    }
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    assertCloseScaled(a, e, relative);
  }
}
