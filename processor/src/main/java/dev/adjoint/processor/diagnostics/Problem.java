package dev.adjoint.processor.diagnostics;

import com.sun.source.util.TreePath;
import javax.lang.model.element.Element;

/**
 * A compile error found in user code: what is wrong and what to do, attached either to the exact
 * tree (an expression or statement) or, for misuse of the annotation, to an element.
 *
 * @param path the offending tree, or null when {@code element} locates the problem
 * @param element the offending declaration, or null when {@code path} locates the problem
 * @param message the full message shown to the user
 * @param isWarning true for a warning, which does not stop generation
 */
public record Problem(TreePath path, Element element, String message, boolean isWarning) {
  /** An error at a tree. */
  public static Problem at(TreePath path, String message) {
    return new Problem(path, null, message, false);
  }

  /** An error on a declaration. */
  public static Problem on(Element element, String message) {
    return new Problem(null, element, message, false);
  }

  /** A warning on a declaration: the code works, but probably not as its author meant. */
  public static Problem warningOn(Element element, String message) {
    return new Problem(null, element, message, true);
  }
}
