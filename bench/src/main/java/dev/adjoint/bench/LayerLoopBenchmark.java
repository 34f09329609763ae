package dev.adjoint.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A layer-loop MLP step (issue 17): the generated gradients of {@link LayerLoopMlp#loss} (static,
 * over {@code float[][] w, b}) and of the model record {@link LayerLoopModel#loss} against
 * {@link HandLayerLoopMlp}, for 784-128-10 and 784-256-128-10 at batch 64; and the same network
 * as a model record ({@link RecordLayerMlp}) whose loss calls its layer method in the loop or has
 * the layer written inline, and ({@link RecursiveMlp}) whose forward pass calls itself per layer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LayerLoopBenchmark {
  private final Net one = new Net(new int[] {Mlp.IN, Mlp.HIDDEN, Mlp.OUT});
  private final Net two = new Net(new int[] {Mlp.IN, 256, 128, Mlp.OUT});

  /** Weights, a batch, the generated accumulator and the hand-written buffers of one network. */
  static final class Net {
    final int[] widths;
    final float[][] w;
    final float[][] b;
    final float[] x = Data.pixels(Mlp.BATCH * Mlp.IN, 5);
    final int[] labels = Data.labels(Mlp.BATCH, Mlp.OUT, 6);
    final LayerLoopMlpGrad.LossAccumulator accumulator;
    final LayerLoopModel loopModel;
    final LayerLoopModelGrad.LossAccumulator loopModelAccumulator;
    final RecordLayerMlp model;
    final RecordLayerMlpGrad.LossAccumulator modelAccumulator;
    final RecordLayerMlpGrad.LossInlineAccumulator inlineAccumulator;
    final RecursiveMlp recursive;
    final RecursiveMlpGrad.LossAccumulator recursiveAccumulator;
    final HandLayerLoopMlp hand;
    final float[][] dW;
    final float[][] dB;

    Net(int[] widths) {
      this.widths = widths;
      int layers = widths.length - 1;
      w = new float[layers][];
      b = new float[layers][];
      dW = new float[layers][];
      dB = new float[layers][];
      for (int l = 0; l < layers; l++) {
        w[l] = Data.gaussian(widths[l] * widths[l + 1], 0.01, 10 + l);
        b[l] = Data.gaussian(widths[l + 1], 0.01, 20 + l);
        dW[l] = new float[w[l].length];
        dB[l] = new float[b[l].length];
      }
      accumulator = LayerLoopMlpGrad.LossAccumulator.zerosLike(w, b);
      loopModel = new LayerLoopModel(w, b);
      loopModelAccumulator = LayerLoopModelGrad.LossAccumulator.zerosLike(loopModel);
      model = new RecordLayerMlp(w, b, widths);
      modelAccumulator = RecordLayerMlpGrad.LossAccumulator.zerosLike(model);
      inlineAccumulator = RecordLayerMlpGrad.LossInlineAccumulator.zerosLike(model);
      recursive = new RecursiveMlp(w, b, widths);
      recursiveAccumulator = RecursiveMlpGrad.LossAccumulator.zerosLike(recursive);
      hand = new HandLayerLoopMlp(Mlp.BATCH, widths);
    }

    float generated() {
      accumulator.clear();
      return LayerLoopMlpGrad.loss(w, b, x, labels, Mlp.BATCH, widths, accumulator);
    }

    float record() {
      loopModelAccumulator.clear();
      return LayerLoopModelGrad.loss(loopModel, x, labels, Mlp.BATCH, loopModelAccumulator);
    }

    /** The model record whose loss calls {@code this.layer(h, l, batch)} per hidden layer. */
    float recordCall() {
      modelAccumulator.clear();
      return RecordLayerMlpGrad.loss(model, x, labels, Mlp.BATCH, modelAccumulator);
    }

    /** The model record with the layer written in the loop. */
    float recordInline() {
      inlineAccumulator.clear();
      return RecordLayerMlpGrad.lossInline(model, x, labels, Mlp.BATCH, inlineAccumulator);
    }

    /** The model record whose forward pass calls itself per layer (a call that stays a call). */
    float recursive() {
      recursiveAccumulator.clear();
      return RecursiveMlpGrad.loss(recursive, x, labels, Mlp.BATCH, recursiveAccumulator);
    }

    float hand() {
      for (int l = 0; l < dW.length; l++) {
        java.util.Arrays.fill(dW[l], 0f);
        java.util.Arrays.fill(dB[l], 0f);
      }
      return hand.lossAndGradient(w, b, x, labels, Mlp.BATCH, widths, dW, dB);
    }
  }

  /** 784-128-10: the generated accumulating gradient of the layer loop. */
  @Benchmark
  public float oneHiddenGenerated() {
    return one.generated();
  }

  /** 784-128-10: the generated accumulating gradient of the model record's layer loop. */
  @Benchmark
  public float oneHiddenRecord() {
    return one.record();
  }

  /** 784-128-10: the same gradient by hand over the same ops. */
  @Benchmark
  public float oneHiddenHand() {
    return one.hand();
  }

  /** 784-128-10: the model record whose loss calls its layer method in the loop. */
  @Benchmark
  public float oneHiddenRecordCall() {
    return one.recordCall();
  }

  /** 784-128-10: the model record with the layer written in the loop. */
  @Benchmark
  public float oneHiddenRecordInline() {
    return one.recordInline();
  }

  /** 784-128-10: the model record whose forward pass is recursive, one call per layer. */
  @Benchmark
  public float oneHiddenRecursive() {
    return one.recursive();
  }

  /** 784-256-128-10: the model record whose forward pass is recursive, one call per layer. */
  @Benchmark
  public float twoHiddenRecursive() {
    return two.recursive();
  }

  /** 784-256-128-10: the model record whose loss calls its layer method in the loop. */
  @Benchmark
  public float twoHiddenRecordCall() {
    return two.recordCall();
  }

  /** 784-256-128-10: the model record with the layer written in the loop. */
  @Benchmark
  public float twoHiddenRecordInline() {
    return two.recordInline();
  }

  /** 784-256-128-10: the generated accumulating gradient of the layer loop. */
  @Benchmark
  public float twoHiddenGenerated() {
    return two.generated();
  }

  /** 784-256-128-10: the generated accumulating gradient of the model record's layer loop. */
  @Benchmark
  public float twoHiddenRecord() {
    return two.record();
  }

  /** 784-256-128-10: the same gradient by hand over the same ops. */
  @Benchmark
  public float twoHiddenHand() {
    return two.hand();
  }
}
