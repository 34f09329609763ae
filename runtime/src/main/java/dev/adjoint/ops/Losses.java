package dev.adjoint.ops;

import dev.adjoint.DerivativeOf;
import dev.adjoint.JvpOf;
import dev.adjoint.NoDerivative;

/**
 * Scalar losses with their pullbacks and JVPs, plus {@link #accuracy}. Sums are accumulated in
 * {@code double} and the result rounded to {@code float} once. Each JVP has its own pullback
 * ({@link DerivativeOf} of the JVP), which a Hessian-vector product through the loss chains
 * through: it adds into the tangent's buffer what the loss's pullback adds (the same call, the
 * same bits), and into the prediction's buffer the directional derivative of that pullback
 * along the tangent; {@code value} is the loss at these arguments, as every caller of the JVP
 * passes it, and the JVPs do not read it.
 */
public final class Losses {
  /** Predictions are clamped to {@code [EPSILON, 1 - EPSILON]} by {@link #binaryCrossEntropy}. */
  public static final double EPSILON = 1e-7;

  private Losses() {}

  /**
   * The mean over the batch of the cross-entropy between {@code softmax(logits[r])} and the
   * one-hot vector of {@code labels[r]}: {@code mean over r of (logsumexp(logits[r]) -
   * logits[r][labels[r]])}. Computed stably by subtracting each row's maximum before
   * exponentiating.
   *
   * @param logits {@code batch x classes} unnormalised scores
   * @param labels {@code batch} class indices in {@code [0, classes)}
   * @throws IllegalArgumentException if a dimension is below 1, a length does not match or a
   *     label is out of range
   */
  public static float softmaxCrossEntropy(float[] logits, int[] labels, int batch, int classes) {
    checkClassification(logits, labels, batch, classes);
    double total = 0;
    for (int r = 0; r < batch; r++) {
      int o = r * classes;
      total += logSumExp(logits, o, classes) - logits[o + labels[r]];
    }
    return (float) (total / batch);
  }

  /**
   * The pullback of {@link #softmaxCrossEntropy}: adds {@code seed * (softmax(logits[r]) -
   * onehot(labels[r])) / batch} into row {@code r} of {@code dLogits}.
   *
   * @throws IllegalArgumentException if a dimension is below 1, a length does not match or a
   *     label is out of range
   */
  @DerivativeOf("softmaxCrossEntropy")
  public static void softmaxCrossEntropyBackward(
      float[] logits, int[] labels, int batch, int classes, float seed, float[] dLogits) {
    checkClassification(logits, labels, batch, classes);
    Shapes.bufferLength("dLogits", dLogits, batch * classes);
    if (dLogits == null) {
      return;
    }
    double scale = (double) seed / batch;
    for (int r = 0; r < batch; r++) {
      int o = r * classes;
      double lse = logSumExp(logits, o, classes);
      for (int c = 0; c < classes; c++) {
        double p = Math.exp(logits[o + c] - lse);
        double g = c == labels[r] ? p - 1.0 : p;
        dLogits[o + c] += (float) (scale * g);
      }
    }
  }

  /**
   * The JVP of {@link #softmaxCrossEntropy}: {@code sum over r, c of (softmax(logits[r])[c] -
   * onehot(labels[r])[c]) * tLogits[r][c] / batch}; 0 for a {@code null} tangent.
   *
   * @throws IllegalArgumentException if a dimension is below 1, a length does not match or a
   *     label is out of range
   */
  @JvpOf("softmaxCrossEntropy")
  public static float softmaxCrossEntropyJvp(
      float[] logits, int[] labels, int batch, int classes, float value, float[] tLogits) {
    checkClassification(logits, labels, batch, classes);
    if (tLogits == null) {
      return 0f;
    }
    Shapes.length("tLogits", tLogits, batch * classes);
    double total = 0;
    for (int r = 0; r < batch; r++) {
      int o = r * classes;
      double lse = logSumExp(logits, o, classes);
      for (int c = 0; c < classes; c++) {
        double p = Math.exp(logits[o + c] - lse);
        total += (c == labels[r] ? p - 1.0 : p) * tLogits[o + c];
      }
    }
    return (float) (total / batch);
  }

  /**
   * The pullback of {@link #softmaxCrossEntropyJvp}: adds into {@code dTLogits} what
   * {@link #softmaxCrossEntropyBackward} adds, and into row {@code r} of {@code dLogits}
   * {@code seed * p[c] (tLogits[r][c] - sum over k of p[k] tLogits[r][k]) / batch} with
   * {@code p = softmax(logits[r])}.
   *
   * @throws IllegalArgumentException if a dimension is below 1, a length does not match or a
   *     label is out of range
   */
  @DerivativeOf("softmaxCrossEntropyJvp")
  public static void softmaxCrossEntropyJvpBackward(float[] logits, int[] labels, int batch,
      int classes, @NoDerivative float value, float[] tLogits, float seed, float[] dLogits,
      float[] dTLogits) {
    softmaxCrossEntropyBackward(logits, labels, batch, classes, seed, dTLogits);
    Shapes.bufferLength("dLogits", dLogits, batch * classes);
    if (dLogits == null || tLogits == null) {
      return;
    }
    Shapes.length("tLogits", tLogits, batch * classes);
    double scale = (double) seed / batch;
    double[] p = new double[classes];
    for (int r = 0; r < batch; r++) {
      int o = r * classes;
      double lse = logSumExp(logits, o, classes);
      double pt = 0;
      for (int c = 0; c < classes; c++) {
        p[c] = Math.exp(logits[o + c] - lse);
        pt += p[c] * tLogits[o + c];
      }
      for (int c = 0; c < classes; c++) {
        dLogits[o + c] += (float) (scale * p[c] * (tLogits[o + c] - pt));
      }
    }
  }

  /**
   * The mean squared error {@code mean over i of (prediction[i] - target[i])^2}.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  public static float meanSquaredError(float[] prediction, float[] target, int n) {
    checkPair(prediction, target, n);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double d = (double) prediction[i] - target[i];
      total += d * d;
    }
    return (float) (total / n);
  }

  /**
   * The pullback of {@link #meanSquaredError} with respect to the prediction only: adds
   * {@code seed * 2 (prediction - target) / n} into {@code dPrediction}.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  @DerivativeOf("meanSquaredError")
  public static void meanSquaredErrorBackward(
      float[] prediction, @NoDerivative float[] target, int n, float seed, float[] dPrediction) {
    checkPair(prediction, target, n);
    Shapes.bufferLength("dPrediction", dPrediction, n);
    if (dPrediction == null) {
      return;
    }
    double scale = 2.0 * seed / n;
    for (int i = 0; i < n; i++) {
      dPrediction[i] += (float) (scale * ((double) prediction[i] - target[i]));
    }
  }

  /**
   * The JVP of {@link #meanSquaredError} with respect to the prediction only: {@code sum over i
   * of 2 (prediction[i] - target[i]) tPrediction[i] / n}; 0 for a {@code null} tangent.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  @JvpOf("meanSquaredError")
  public static float meanSquaredErrorJvp(float[] prediction, @NoDerivative float[] target, int n,
      float value, float[] tPrediction) {
    checkPair(prediction, target, n);
    if (tPrediction == null) {
      return 0f;
    }
    Shapes.length("tPrediction", tPrediction, n);
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += ((double) prediction[i] - target[i]) * tPrediction[i];
    }
    return (float) (2.0 * total / n);
  }

  /**
   * The pullback of {@link #meanSquaredErrorJvp}: adds into {@code dTPrediction} what
   * {@link #meanSquaredErrorBackward} adds, and into {@code dPrediction} {@code seed * 2
   * tPrediction / n}.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  @DerivativeOf("meanSquaredErrorJvp")
  public static void meanSquaredErrorJvpBackward(float[] prediction,
      @NoDerivative float[] target, int n, @NoDerivative float value, float[] tPrediction,
      float seed, float[] dPrediction, float[] dTPrediction) {
    meanSquaredErrorBackward(prediction, target, n, seed, dTPrediction);
    Shapes.bufferLength("dPrediction", dPrediction, n);
    if (dPrediction == null || tPrediction == null) {
      return;
    }
    Shapes.length("tPrediction", tPrediction, n);
    double scale = 2.0 * seed / n;
    for (int i = 0; i < n; i++) {
      dPrediction[i] += (float) (scale * tPrediction[i]);
    }
  }

  /**
   * The mean binary cross-entropy {@code -mean over i of (t log p + (1 - t) log(1 - p))} of
   * probabilities {@code p} against targets {@code t} in {@code [0, 1]}. Each {@code p} is first
   * clamped to {@code [EPSILON, 1 - EPSILON]}, so the loss stays finite for {@code p} of 0 or 1.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  public static float binaryCrossEntropy(float[] p, float[] target, int n) {
    checkPair(p, target, n);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double q = clamp(p[i]);
      double t = target[i];
      total -= t * Math.log(q) + (1.0 - t) * Math.log(1.0 - q);
    }
    return (float) (total / n);
  }

  /**
   * The pullback of {@link #binaryCrossEntropy} with respect to {@code p} only: adds
   * {@code seed * (p - t) / (p (1 - p)) / n} into {@code dP}, and nothing where {@code p} lies
   * outside {@code [EPSILON, 1 - EPSILON]} (where the clamped loss does not depend on it).
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  @DerivativeOf("binaryCrossEntropy")
  public static void binaryCrossEntropyBackward(
      float[] p, @NoDerivative float[] target, int n, float seed, float[] dP) {
    checkPair(p, target, n);
    Shapes.bufferLength("dP", dP, n);
    if (dP == null) {
      return;
    }
    double scale = (double) seed / n;
    for (int i = 0; i < n; i++) {
      double q = p[i];
      if (q >= EPSILON && q <= 1.0 - EPSILON) {
        dP[i] += (float) (scale * (q - target[i]) / (q * (1.0 - q)));
      }
    }
  }

  /**
   * The JVP of {@link #binaryCrossEntropy} with respect to {@code p} only: {@code sum over i of
   * (p - t) / (p (1 - p)) tP[i] / n}, nothing where {@code p} lies outside {@code [EPSILON, 1 -
   * EPSILON]}; 0 for a {@code null} tangent.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  @JvpOf("binaryCrossEntropy")
  public static float binaryCrossEntropyJvp(
      float[] p, @NoDerivative float[] target, int n, float value, float[] tP) {
    checkPair(p, target, n);
    if (tP == null) {
      return 0f;
    }
    Shapes.length("tP", tP, n);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double q = p[i];
      if (q >= EPSILON && q <= 1.0 - EPSILON) {
        total += (q - target[i]) / (q * (1.0 - q)) * tP[i];
      }
    }
    return (float) (total / n);
  }

  /**
   * The pullback of {@link #binaryCrossEntropyJvp}: adds into {@code dTP} what
   * {@link #binaryCrossEntropyBackward} adds, and into {@code dP} {@code seed * tP * (p^2 - 2 t p
   * + t) / (p (1 - p))^2 / n} (the derivative of {@code (p - t) / (p (1 - p))}), nothing where
   * {@code p} lies outside {@code [EPSILON, 1 - EPSILON]}.
   *
   * @throws IllegalArgumentException if {@code n < 1} or a length differs from {@code n}
   */
  @DerivativeOf("binaryCrossEntropyJvp")
  public static void binaryCrossEntropyJvpBackward(float[] p, @NoDerivative float[] target,
      int n, @NoDerivative float value, float[] tP, float seed, float[] dP, float[] dTP) {
    binaryCrossEntropyBackward(p, target, n, seed, dTP);
    Shapes.bufferLength("dP", dP, n);
    if (dP == null || tP == null) {
      return;
    }
    Shapes.length("tP", tP, n);
    double scale = (double) seed / n;
    for (int i = 0; i < n; i++) {
      double q = p[i];
      if (q >= EPSILON && q <= 1.0 - EPSILON) {
        double t = target[i];
        double g = q * (1.0 - q);
        dP[i] += (float) (scale * tP[i] * ((q * q - 2.0 * t * q + t) / (g * g)));
      }
    }
  }

  /**
   * The fraction of rows whose largest logit (the first one, on ties) is at the row's label. Not
   * differentiable.
   *
   * @throws IllegalArgumentException if a dimension is below 1, a length does not match or a
   *     label is out of range
   */
  public static float accuracy(float[] logits, int[] labels, int batch, int classes) {
    checkClassification(logits, labels, batch, classes);
    int correct = 0;
    for (int r = 0; r < batch; r++) {
      int o = r * classes;
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (logits[o + c] > logits[o + best]) {
          best = c;
        }
      }
      if (best == labels[r]) {
        correct++;
      }
    }
    return (float) correct / batch;
  }

  /** {@code log(sum exp(v[o .. o + n)))}, shifted by the maximum so that no term overflows. */
  private static double logSumExp(float[] v, int o, int n) {
    float max = v[o];
    for (int c = 1; c < n; c++) {
      max = Math.max(max, v[o + c]);
    }
    double sum = 0;
    for (int c = 0; c < n; c++) {
      sum += Math.exp((double) v[o + c] - max);
    }
    return max + Math.log(sum);
  }

  private static double clamp(float p) {
    return Math.min(Math.max(p, EPSILON), 1.0 - EPSILON);
  }

  private static void checkClassification(float[] logits, int[] labels, int batch, int classes) {
    Shapes.positive("batch", batch);
    Shapes.positive("classes", classes);
    Shapes.length("logits", logits, Shapes.product("logits", batch, classes));
    Shapes.length("labels", labels, batch);
    Shapes.labels(labels, batch, classes);
  }

  private static void checkPair(float[] a, float[] target, int n) {
    Shapes.positive("n", n);
    Shapes.length("prediction", a, n);
    Shapes.length("target", target, n);
  }
}
