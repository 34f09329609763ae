package dev.adjoint.processor;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.UnsupportedConstruct;
import dev.adjoint.processor.frontend.PrintLowering;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.naming.GradNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.lang.model.element.ExecutableElement;

/**
 * Calls of {@code @Differentiable} methods that print ({@code System.out.println} in their body,
 * or a call of such a method), which a gradient cannot make without printing twice: the forward
 * sweep calls the method for its value, and the reverse sweep calls its generated gradient, which
 * runs it again. Calls that are inlined, and calls inside a print's arguments (evaluated in the
 * forward sweep only), are not affected; forward mode calls a callee's JVP form once. Only methods
 * whose source is in this compilation are known to print.
 */
final class PrintingCallees {
  private final Trees trees;
  private final Function<Callee, ExecutableElement> elements;
  /** Whether each method prints; false while it is being decided (a recursive call). */
  private final Map<ExecutableElement, Boolean> prints = new HashMap<>();

  PrintingCallees(Trees trees, Function<Callee, ExecutableElement> elements) {
    this.trees = trees;
    this.elements = elements;
  }

  /**
   * The problem of the first statement of {@code body} that calls a printing method (not inside
   * a print), or null.
   */
  UnsupportedConstruct firstCall(List<Stmt> body) {
    for (Stmt s : Stmt.all(body, true)) {
      if (Stmt.isPrint(s)) {
        continue;
      }
      for (Expr e : s.expressions()) {
        Callee c = printingCallee(e);
        if (c != null) {
          Source src = source(s);
          String name = c.ownerName() + "." + c.method();
          return new UnsupportedConstruct(src.line(), src.text(), Message.PRINTING_CALLEE, name,
              c.method(), c.method());
        }
      }
    }
    return null;
  }

  private Callee printingCallee(Expr e) {
    if (e instanceof Expr.DiffCall c) {
      ExecutableElement m = elements.apply(c.callee());
      if (m != null && prints(m)) {
        return c.callee();
      }
    }
    for (Expr child : Exprs.children(e)) {
      Callee c = printingCallee(child);
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  /** True when {@code m}'s source is here and it prints, itself or through a callee. */
  private boolean prints(ExecutableElement m) {
    Boolean known = prints.get(m);
    if (known != null) {
      return known;
    }
    prints.put(m, false);
    TreePath path = trees.getPath(m);
    boolean found = path != null && ((MethodTree) path.getLeaf()).getBody() != null
        && Boolean.TRUE.equals(new TreePathScanner<Boolean, Void>() {
          @Override
          public Boolean visitMethodInvocation(MethodInvocationTree node, Void unused) {
            if (PrintLowering.stream(node) != null
                || trees.getElement(getCurrentPath()) instanceof ExecutableElement callee
                    && GradNames.isDifferentiable(callee) && prints(callee)) {
              return true;
            }
            return super.visitMethodInvocation(node, unused);
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(path, null));
    prints.put(m, found);
    return found;
  }

  private static Source source(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.source();
    } else if (s instanceof Stmt.Assign a) {
      return a.source();
    } else if (s instanceof Stmt.Store st) {
      return st.source();
    } else if (s instanceof Stmt.If i) {
      return i.source();
    } else if (s instanceof Stmt.Loop l) {
      return l.source();
    } else if (s instanceof Stmt.Return r) {
      return r.source();
    }
    return Source.NONE;
  }
}
