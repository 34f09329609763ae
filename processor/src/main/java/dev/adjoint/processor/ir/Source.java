package dev.adjoint.processor.ir;

/**
 * Where a statement came from, for the comments of the generated reverse sweep.
 *
 * @param line 1-based line in the user's file
 * @param text the statement's source text, whitespace collapsed
 */
public record Source(long line, String text) {
  public static final Source NONE = new Source(0, "");
}
