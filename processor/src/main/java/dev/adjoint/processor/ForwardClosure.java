package dev.adjoint.processor;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/**
 * The methods that get a form: those that ask for it (for the forward-mode form,
 * {@code forward = true}; for the directional derivative a Hessian-vector product chains through,
 * {@code hessian = true}), and every {@code @Differentiable} method of this compilation that they
 * call, directly or not (a callee gets the forms its callers need).
 */
final class ForwardClosure {
  private ForwardClosure() {}

  static Set<ExecutableElement> of(Trees trees, List<ExecutableElement> methods,
      Predicate<ExecutableElement> asks) {
    Set<ExecutableElement> out = new LinkedHashSet<>();
    Deque<ExecutableElement> work = new ArrayDeque<>();
    for (ExecutableElement m : methods) {
      if (asks.test(m) && out.add(m)) {
        work.add(m);
      }
    }
    while (!work.isEmpty()) {
      ExecutableElement m = work.poll();
      TreePath path = trees.getPath(m);
      if (path == null) {
        continue;
      }
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
          Element callee = trees.getElement(getCurrentPath());
          if (callee instanceof ExecutableElement e && GradNames.isDifferentiable(e)
              && trees.getPath(e) != null && out.add(e)) {
            work.add(e);
          }
          return super.visitMethodInvocation(node, unused);
        }
      }.scan(path, null);
    }
    return out;
  }
}
