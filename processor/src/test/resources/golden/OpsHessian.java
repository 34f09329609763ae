package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * A Hessian-vector product through Adjoint's runtime ops: the directional derivative calls the
 * ops' JVPs, and its reverse sweep the pullbacks of those JVPs.
 */
class OpsHessian {
  @Differentiable(hessian = true)
  static float loss(float[] w, float[] b, @NoDerivative float[] x, int[] labels, int batch,
      int in, int classes) {
    float[] h = Activations.tanh(Dense.dense(x, w, b, batch, in, classes));
    return Losses.softmaxCrossEntropy(h, labels, batch, classes);
  }
}
