package dev.adjoint.example.mnist;

import dev.adjoint.DerivativeOf;
import dev.adjoint.ops.Activations;
import java.util.Locale;

/**
 * The hidden layers' activation function, chosen with {@code --activation}, and the op that
 * applies one by its {@link #code()}, so that one differentiable loss serves all of them.
 */
public enum Activation {
  RELU,
  SIGMOID,
  TANH;

  /** The number a {@link DeepMlp} holds for this activation. */
  public int code() {
    return ordinal();
  }

  /** The name used on the command line and in checkpoints: {@code relu}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The {@link #label()}, as the command line's help and completion show it. */
  @Override
  public String toString() {
    return label();
  }

  /**
   * The activation named {@code label}.
   *
   * @throws IllegalArgumentException naming the choices if there is none
   */
  public static Activation parse(String label) {
    for (Activation a : values()) {
      if (a.label().equals(label)) {
        return a;
      }
    }
    throw new IllegalArgumentException("--activation is relu, sigmoid or tanh, not '" + label
        + "'");
  }

  /**
   * The activation with this {@link #code()} applied elementwise to {@code z}.
   *
   * @throws IllegalArgumentException if no activation has that code
   */
  public static float[] apply(int code, float[] z) {
    return switch (of(code)) {
      case RELU -> Activations.relu(z);
      case SIGMOID -> Activations.sigmoid(z);
      case TANH -> Activations.tanh(z);
    };
  }

  /** The pullback of {@link #apply}: that activation's pullback from {@link Activations}. */
  @DerivativeOf("apply")
  public static void applyBackward(int code, float[] z, float[] seed, float[] dZ) {
    switch (of(code)) {
      case RELU -> Activations.reluBackward(z, seed, dZ);
      case SIGMOID -> Activations.sigmoidBackward(z, seed, dZ);
      case TANH -> Activations.tanhBackward(z, seed, dZ);
    }
  }

  private static Activation of(int code) {
    if (code < 0 || code >= values().length) {
      throw new IllegalArgumentException("no activation has code " + code);
    }
    return values()[code];
  }
}
