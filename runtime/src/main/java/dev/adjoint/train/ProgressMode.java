package dev.adjoint.train;

/** How the {@link Trainer} reports progress. */
public enum ProgressMode {
  /**
   * {@link #BAR} when printing to {@link System#out} and that is an interactive terminal, {@link
   * #LINES} otherwise (redirected output, CI logs, tests).
   */
  AUTO,
  /**
   * A progress bar redrawn in place with carriage returns: batches done, samples per second,
   * estimated time left, running loss; then one summary line per epoch.
   */
  BAR,
  /**
   * Plain lines only: one summary line per epoch, plus a status line every ten seconds during
   * long epochs, so that logs stay readable.
   */
  LINES,
  /** Nothing at all. */
  NONE
}
