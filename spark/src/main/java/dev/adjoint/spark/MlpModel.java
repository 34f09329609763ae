package dev.adjoint.spark;

import dev.adjoint.example.mnist.DeepMlp;
import dev.adjoint.example.mnist.MlpTraining;
import dev.adjoint.example.mnist.Network;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;

/**
 * The {@code train} command's classifier (the model record {@link DeepMlp}: dense layers, an
 * activation after each hidden one, softmax cross-entropy) as a {@link SparkModel}. Its loss and
 * evaluator are the single-machine command's own ({@link MlpTraining}), whose gradient Adjoint
 * generated, so one partition reproduces that command bit for bit.
 *
 * @param net the network's shape
 */
public record MlpModel(Network net) implements SparkModel {
  private static final long serialVersionUID = 1L;

  /** The model of a network. */
  public static MlpModel of(Network net) {
    return new MlpModel(net);
  }

  @Override
  public BatchLoss loss(float[][] params) {
    return MlpTraining.opsLoss(net, params);
  }

  @Override
  public Evaluator evaluator(float[][] params) {
    return MlpTraining.evaluator(net, params);
  }
}
