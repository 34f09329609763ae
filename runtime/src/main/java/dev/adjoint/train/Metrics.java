package dev.adjoint.train;

/**
 * Loss and accuracy over a dataset.
 *
 * @param loss the mean loss per sample
 * @param accuracy the fraction of samples predicted correctly, from 0 to 1
 * @param samples the number of samples evaluated
 */
public record Metrics(double loss, double accuracy, long samples) {}
