package dev.adjoint.processor.diagnostics;

import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** Reports problems as javac errors at the precise tree or element. */
public final class Reporter {
  private final Messager messager;
  private final Trees trees;

  public Reporter(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  public void report(Problem p) {
    Diagnostic.Kind kind = p.isWarning() ? Diagnostic.Kind.WARNING : Diagnostic.Kind.ERROR;
    if (p.path() != null && trees != null) {
      trees.printMessage(kind, p.message(), p.path().getLeaf(), p.path().getCompilationUnit());
    } else {
      messager.printMessage(kind, p.message(), p.element());
    }
  }

  /** Reports a method whose expressions nest too deeply even for the processor's large stack. */
  public void tooDeep(Element method) {
    messager.printMessage(Diagnostic.Kind.ERROR,
        "this method's expressions nest too deeply for Adjoint; "
            + "split the longest expression into several statements with locals",
        method);
  }

  /** Reports an unexpected failure inside the processor as an error on the method. */
  public void internalError(Element method, Throwable t) {
    String where = t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "";
    messager.printMessage(Diagnostic.Kind.ERROR,
        "Adjoint failed to differentiate this method because of an internal error (" + t
            + where + "). This is a bug in Adjoint: please report it with this method. "
            + "Until it is fixed, simplify the method or remove @Differentiable.",
        method);
  }
}
