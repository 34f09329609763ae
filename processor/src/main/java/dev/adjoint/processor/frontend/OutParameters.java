package dev.adjoint.processor.frontend;

import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * The out-parameter of a {@code void @Differentiable} method: the one {@code double[]} or
 * {@code float[]} parameter whose elements its body assigns ({@code out[i] = ...},
 * {@code out[i] += ...}). Such a method is differentiated as the function from its parameters
 * (the out-parameter's values on entry included) to the out-parameter's values on exit, as if it
 * ended in {@code return out;}.
 */
public final class OutParameters {
  private OutParameters() {}

  /**
   * Where the out-parameter is.
   *
   * @param index the out-parameter's position, or -1 when {@code error} says why there is none
   *     (or the method is not void)
   * @param error what is wrong and what to do, or null
   * @param args the arguments of {@code error}
   * @param sideEffects the names of the other array parameters whose elements the method writes
   *     in place (its gradient works on copies of them, but a call changes the arrays passed)
   */
  public record Result(int index, Message error, List<Object> args, List<String> sideEffects) {
    Result(int index, List<String> sideEffects) {
      this(index, null, List.of(), sideEffects);
    }

    Result(Message error, Object... args) {
      this(-1, error, List.of(args), List.of());
    }
  }

  /** True for a method returning {@code void}. */
  public static boolean isVoid(ExecutableElement method) {
    return method.getReturnType().getKind() == TypeKind.VOID;
  }

  /**
   * The out-parameter of {@code method} when it is void, and the array parameters it writes
   * besides, as far as its source in this compilation shows.
   */
  public static Result of(ExecutableElement method, Trees trees) {
    TreePath path = trees.getPath(method);
    if (!isVoid(method)) {
      if (path == null || ((MethodTree) path.getLeaf()).getBody() == null) {
        return new Result(-1, List.of());
      }
      return new Result(-1, written(method, (MethodTree) path.getLeaf(), -1));
    }
    if (path == null || ((MethodTree) path.getLeaf()).getBody() == null) {
      return new Result(Message.VOID_CALLEE_PRECOMPILED,
          method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName(),
          method.getSimpleName());
    }
    Set<String> arrays = new HashSet<>();
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.of(p.asType());
      if (t != null && t.dims() == 1) {
        arrays.add(p.getSimpleName().toString());
      }
    }
    Set<String> written = ParameterCopies.written(((MethodTree) path.getLeaf()).getBody(), arrays);
    List<String> outs = new ArrayList<>();
    int index = -1;
    List<? extends VariableElement> params = method.getParameters();
    for (int i = 0; i < params.size(); i++) {
      VariableElement p = params.get(i);
      Type t = TypeMapping.of(p.asType());
      if (written.contains(p.getSimpleName().toString()) && t.isFloatingArray()
          && !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE)) {
        outs.add(p.getSimpleName().toString());
        index = i;
      }
    }
    String name = method.getSimpleName().toString();
    if (outs.isEmpty()) {
      return new Result(Message.VOID_WITHOUT_OUT_PARAMETER, name);
    }
    if (outs.size() > 1) {
      return new Result(Message.VOID_WITH_SEVERAL_OUT_PARAMETERS, name, String.join(", ", outs));
    }
    return new Result(index, written(method, (MethodTree) path.getLeaf(), index));
  }

  /**
   * The names of the 1-D array parameters the body writes or passes to a call statement, but
   * the one at {@code except}.
   */
  private static List<String> written(ExecutableElement method, MethodTree tree, int except) {
    Set<String> arrays = new HashSet<>();
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.of(p.asType());
      if (t != null && t.dims() == 1) {
        arrays.add(p.getSimpleName().toString());
      }
    }
    Set<String> written = ParameterCopies.written(tree.getBody(), arrays);
    // A void call may write an array passed to it (which of its arguments is not known here).
    written.addAll(ParameterCopies.passedToCallStatements(tree.getBody(), arrays));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < method.getParameters().size(); i++) {
      String name = method.getParameters().get(i).getSimpleName().toString();
      if (i != except && written.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }
}
