package dev.adjoint.processor.frontend;

import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;

/**
 * The out-parameter of a {@code void @Differentiable} method: the one {@code double[]} or
 * {@code float[]} parameter whose elements its body assigns ({@code out[i] = ...},
 * {@code out[i] += ...}). Such a method is differentiated as the function from its parameters
 * (the out-parameter's values on entry included) to the out-parameter's values on exit, as if it
 * ended in {@code return out;}.
 */
public final class OutParameters {
  private final Trees trees;
  private final Elements elements;
  /** The results found so far; null while a method's is being found (a recursive call). */
  private final Map<ExecutableElement, Result> found = new HashMap<>();

  public OutParameters(Trees trees, Elements elements) {
    this.trees = trees;
    this.elements = elements;
  }

  /**
   * Where the out-parameter is.
   *
   * @param index the out-parameter's position, or -1 when {@code error} says why there is none
   *     (or the method is not void)
   * @param error what is wrong and what to do, or null
   * @param args the arguments of {@code error}
   * @param sideEffects the positions of the other array parameters whose elements the method
   *     writes in place (its gradient works on copies of them, but a call changes the arrays
   *     passed)
   */
  public record Result(int index, Message error, List<Object> args, List<Integer> sideEffects) {
    Result(int index, List<Integer> sideEffects) {
      this(index, null, List.of(), sideEffects);
    }

    Result(Message error, Object... args) {
      this(-1, error, List.of(args), List.of());
    }
  }

  /**
   * What the compiled gradient record {@code record} of {@code method}, a method compiled
   * elsewhere, says about the parameters it writes (its {@code @WritesInPlace}; a record without
   * it belongs to a method that writes none).
   */
  public static Result recorded(ExecutableElement method, TypeElement record) {
    List<Integer> written = List.of();
    int out = -1;
    for (AnnotationMirror a : record.getAnnotationMirrors()) {
      if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(GradNames.WRITES_IN_PLACE)) {
        continue;
      }
      for (var e : a.getElementValues().entrySet()) {
        Object v = e.getValue().getValue();
        if (e.getKey().getSimpleName().contentEquals("out")) {
          out = (Integer) v;
        } else if (v instanceof List<?> values) {
          written = values.stream().map(x -> (Integer) ((AnnotationValue) x).getValue()).toList();
        }
      }
    }
    if (isVoid(method) && out < 0) {
      return new Result(Message.VOID_CALLEE_PRECOMPILED,
          method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName(),
          method.getSimpleName());
    }
    int index = out;
    int n = method.getParameters().size();
    return new Result(out < n ? out : -1,
        written.stream().filter(i -> i != index && i >= 0 && i < n).toList());
  }

  /**
   * The positions of the parameters a method writes in place as {@code r} found them: its
   * out-parameter and the others, in order (see {@code WritesInPlace}).
   */
  public static List<Integer> writtenPositions(Result r) {
    List<Integer> out = new ArrayList<>(r.sideEffects());
    if (r.index() >= 0) {
      out.add(r.index());
    }
    out.sort(null);
    return out;
  }

  /** True for a method returning {@code void}. */
  public static boolean isVoid(ExecutableElement method) {
    return method.getReturnType().getKind() == TypeKind.VOID;
  }

  /**
   * The out-parameter of {@code method} when it is void, and the array parameters it writes
   * besides, as far as its source in this compilation shows.
   */
  public Result of(ExecutableElement method) {
    if (found.containsKey(method)) {
      Result r = found.get(method);
      // recursion: its writes are not known yet; calls of it count as writing every argument
      return r != null ? r : new Result(-1, List.of());
    }
    found.put(method, null);
    Result r = find(method);
    found.put(method, r);
    return r;
  }

  private Result find(ExecutableElement method) {
    TreePath path = trees.getPath(method);
    if (!isVoid(method)) {
      if (path == null || ((MethodTree) path.getLeaf()).getBody() == null) {
        return new Result(-1, List.of());
      }
      return new Result(-1, written(method, path, -1));
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
    return new Result(index, written(method, path, index));
  }

  /**
   * The positions of the array parameters the body writes, directly or through a call statement
   * that writes its argument, but the one at {@code except}.
   */
  private List<Integer> written(ExecutableElement method, TreePath path, int except) {
    Set<String> arrays = new HashSet<>();
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.of(p.asType());
      if (t != null && t.dims() > 0) {
        arrays.add(p.getSimpleName().toString());
      }
    }
    MethodTree tree = (MethodTree) path.getLeaf();
    Set<String> written = ParameterCopies.written(tree.getBody(), arrays);
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitExpressionStatement(ExpressionStatementTree node, Void unused) {
        if (node.getExpression() instanceof MethodInvocationTree call) {
          Set<Integer> writes = writtenArguments(
              trees.getElement(new TreePath(getCurrentPath(), call)), call.getArguments().size());
          for (int i = 0; i < call.getArguments().size(); i++) {
            ExpressionTree a = call.getArguments().get(i);
            while (a instanceof ParenthesizedTree p) {
              a = p.getExpression();
            }
            if (writes.contains(i) && a instanceof IdentifierTree id
                && arrays.contains(id.getName().toString())) {
              written.add(id.getName().toString());
            }
          }
        }
        return super.visitExpressionStatement(node, unused);
      }
    }.scan(new TreePath(path, tree.getBody()), null);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < method.getParameters().size(); i++) {
      String name = method.getParameters().get(i).getSimpleName().toString();
      if (i != except && written.contains(name)) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * The arguments a call statement of {@code callee} may write: those of a
   * {@code @Differentiable} method's parameters it writes (from its source, or from its compiled
   * gradient record); none for printing; every one for any other method.
   */
  private Set<Integer> writtenArguments(Element callee, int arguments) {
    Set<Integer> all = new HashSet<>();
    for (int i = 0; i < arguments; i++) {
      all.add(i);
    }
    if (!(callee instanceof ExecutableElement m)) {
      return all;
    }
    if (m.getEnclosingElement() instanceof TypeElement owner
        && owner.getQualifiedName().contentEquals("java.io.PrintStream")) {
      return Set.of();
    }
    if (!GradNames.isDifferentiable(m) || !(m.getEnclosingElement() instanceof TypeElement owner)) {
      return all;
    }
    Result r;
    if (trees.getPath(m) != null) {
      r = of(m);
    } else {
      TypeElement record = elements.getTypeElement(
          GradNames.gradQualifiedName(owner) + "." + GradNames.recordName(m));
      if (record == null) {
        return all;
      }
      r = recorded(m, record);
    }
    if (r.error() != null || found.containsKey(m) && found.get(m) == null) {
      return all;
    }
    return new HashSet<>(writtenPositions(r));
  }
}
