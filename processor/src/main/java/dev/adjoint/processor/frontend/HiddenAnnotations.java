package dev.adjoint.processor.frontend;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code @Differentiable} methods that annotation processing cannot see: members of local
 * and anonymous classes, which javac does not report to processors. Without this check such a
 * method would silently get no gradient.
 */
public final class HiddenAnnotations {
  private static final String PACKAGE = "dev.adjoint";
  private static final String SIMPLE = "Differentiable";

  private HiddenAnnotations() {}

  /** Errors on each {@code @Differentiable} method of a local or anonymous class in {@code unit}. */
  public static List<Problem> find(CompilationUnitTree unit) {
    if (!mentionsAnnotation(unit)) {
      return List.of();
    }
    boolean imported = unit.getImports().stream().map(ImportTree::getQualifiedIdentifier)
        .map(Tree::toString)
        .anyMatch(i -> i.equals(PACKAGE + "." + SIMPLE) || i.equals(PACKAGE + ".*"));
    List<Problem> out = new ArrayList<>();
    new TreePathScanner<Void, Boolean>() {
      @Override
      public Void visitClass(ClassTree c, Boolean hidden) {
        Tree parent = getCurrentPath().getParentPath().getLeaf();
        boolean member = parent instanceof CompilationUnitTree || parent instanceof ClassTree;
        return super.visitClass(c, hidden || !member);
      }

      @Override
      public Void visitMethod(MethodTree m, Boolean hidden) {
        if (hidden && isDifferentiable(m, imported)) {
          out.add(Problem.at(getCurrentPath(), Message.HIDDEN_CLASS));
        }
        return super.visitMethod(m, hidden);
      }
    }.scan(new TreePath(unit), false);
    return out;
  }

  private static boolean mentionsAnnotation(CompilationUnitTree unit) {
    try {
      return unit.getSourceFile().getCharContent(true).toString().contains(SIMPLE);
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private static boolean isDifferentiable(MethodTree m, boolean imported) {
    for (AnnotationTree a : m.getModifiers().getAnnotations()) {
      String type = a.getAnnotationType().toString();
      if (type.equals(PACKAGE + "." + SIMPLE) || imported && type.equals(SIMPLE)) {
        return true;
      }
    }
    return false;
  }
}
