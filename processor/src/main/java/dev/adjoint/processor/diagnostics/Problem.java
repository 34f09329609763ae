package dev.adjoint.processor.diagnostics;

import com.sun.source.util.TreePath;
import javax.lang.model.element.Element;

/**
 * A compile error found in user code: what is wrong and what to do, attached either to the exact
 * tree (an expression or statement) or, for misuse of the annotation, to an element. Its text
 * comes from the {@link Message} catalogue.
 *
 * @param path the offending tree, or null when {@code element} locates the problem
 * @param element the offending declaration, or null when {@code path} locates the problem
 * @param message the full message shown to the user, id included
 * @param isWarning true for a warning, which does not stop generation
 */
public record Problem(TreePath path, Element element, String message, boolean isWarning) {
  /** {@code message} at a tree. */
  public static Problem at(TreePath path, Message message, Object... args) {
    return new Problem(path, null, message.format(args), message.kind() == Message.Kind.WARNING);
  }

  /** {@code message} on a declaration. */
  public static Problem on(Element element, Message message, Object... args) {
    return new Problem(null, element, message.format(args),
        message.kind() == Message.Kind.WARNING);
  }
}
