package dev.adjoint.train;

/**
 * What one epoch of training produced; one row of the metrics CSV.
 *
 * @param epoch the epoch's number counting from 1, as printed (epoch index + 1)
 * @param trainLoss the mean of the batch losses over the epoch, weighted by batch size (the
 *     parameters change during the epoch, so this is a running figure, not a final evaluation)
 * @param testLoss the mean loss on the test set after the epoch, NaN without a test set
 * @param testAccuracy the fraction of the test set predicted correctly after the epoch, from 0 to
 *     1, NaN without a test set
 * @param learningRate the learning rate used during the epoch
 * @param seconds wall-clock time of the epoch, training and evaluation
 * @param samplesPerSecond training samples per second of training time
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double testLoss,
    double testAccuracy,
    double learningRate,
    double seconds,
    double samplesPerSecond) {}
