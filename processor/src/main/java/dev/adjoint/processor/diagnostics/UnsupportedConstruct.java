package dev.adjoint.processor.diagnostics;

/**
 * Code the front end accepted but a later stage cannot differentiate (which of two shapes it
 * takes is known only after normalisation): reported as an ordinary compile error on the method,
 * with the line, not as an internal error.
 */
public final class UnsupportedConstruct extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long line;
  private final String text;

  /**
   * @param line the 1-based line of the construct in the user's file, or 0 when unknown
   * @param text the statement's source text as {@code Source} holds it (spaces folded, long
   *     text cut), to tell it from other statements on its line
   * @param message what is unsupported and what to do instead, with its {@code args}
   */
  public UnsupportedConstruct(long line, String text, Message message, Object... args) {
    super(message.format(args));
    this.line = line;
    this.text = text;
  }

  /** The statement's source text, spaces folded and long text cut with " ...". */
  public String text() {
    return text;
  }

  /** The 1-based line of the construct, or 0 when unknown. */
  public long line() {
    return line;
  }
}
