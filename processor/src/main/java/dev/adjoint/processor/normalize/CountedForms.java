package dev.adjoint.processor.normalize;

import dev.adjoint.processor.ir.Function;

/**
 * Gives loops the form the counted-loop analysis recognises, whatever the spelling: an exit test
 * first or last in a {@code while (true)} becomes the loop's condition ({@link ExitTests}), and
 * the steps of counters ({@code x[i++]}) move to the end of the body as one ({@link
 * IncrementsLast}). Both keep every statement's order and value, so they run in every form
 * (gradient, JVP, HVP, directional derivative), with the analyses on and off: equivalent
 * spellings then cost the same everywhere.
 */
public final class CountedForms {
  private CountedForms() {}

  public static Function apply(Function f) {
    return IncrementsLast.apply(ExitTests.apply(f));
  }
}
