package dev.adjoint.example;

/** Placeholder. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println(NeuronGrad.loss(2, 1, 1, 4));
  }
}
