package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
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

  /**
   * Reports {@code e} at the statement of {@code method} it names (its line and text), or on the
   * method when that cannot be found.
   */
  public void report(Element method, UnsupportedConstruct e) {
    TreePath at = trees == null || e.line() <= 0 ? null : statement(method, e);
    report(new Problem(at, at != null ? null : method, e.getMessage(), false));
  }

  private TreePath statement(Element method, UnsupportedConstruct e) {
    TreePath path = trees.getPath(method);
    if (path == null) {
      return null;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    CharSequence source;
    try {
      source = unit.getSourceFile().getCharContent(true);
    } catch (IOException ex) {
      return null;
    }
    String prefix = e.text().endsWith(" ...")
        ? e.text().substring(0, e.text().length() - 4) : e.text();
    SourcePositions positions = trees.getSourcePositions();
    TreePath[] found = new TreePath[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        if (found[0] != null || tree == null) {
          return null;
        }
        if (tree instanceof StatementTree) {
          long start = positions.getStartPosition(unit, tree);
          long end = positions.getEndPosition(unit, tree);
          if (start >= 0 && end > start && unit.getLineMap().getLineNumber(start) == e.line()
              && source.subSequence((int) start, (int) end).toString()
                  .replaceAll("\\s+", " ").trim().startsWith(prefix)) {
            found[0] = new TreePath(getCurrentPath(), tree);
            return null;
          }
        }
        return super.scan(tree, unused);
      }
    }.scan(path, null);
    return found[0];
  }

  /** Reports a method whose expressions nest too deeply even for the processor's large stack. */
  public void tooDeep(Element method) {
    messager.printMessage(Diagnostic.Kind.ERROR, Message.NESTED_TOO_DEEPLY.format(), method);
  }

  /** Reports an unexpected failure inside the processor as an error on the method. */
  public void internalError(Element method, Throwable t) {
    String where = t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "";
    messager.printMessage(Diagnostic.Kind.ERROR, Message.INTERNAL_ERROR.format(t, where), method);
  }
}
