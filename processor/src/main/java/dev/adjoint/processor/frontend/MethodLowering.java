package dev.adjoint.processor.frontend;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The front end: lowers the body of one {@code @Differentiable} method from javac's attributed
 * trees to the IR, making implicit conversions explicit and giving every local a unique name.
 * Anything outside the supported subset becomes a {@link Problem} on the exact tree; lowering
 * goes on after a problem so that one compilation reports all of them.
 *
 * <p>This class sets up the method (reserved names, parameters); {@link StatementLowering} and
 * {@link ExpressionLowering} lower its body, sharing one {@link LoweringScope}.
 */
public final class MethodLowering {
  private final Trees trees;
  private final Elements elements;
  private final LoweringScope scope = new LoweringScope();
  private final StatementLowering statements;

  public MethodLowering(Trees trees, Elements elements, CalleeResolver callees) {
    this.trees = trees;
    this.elements = elements;
    this.statements = new StatementLowering(scope, new ExpressionLowering(scope, callees));
  }

  /**
   * Tells which records compiled earlier have the implicit canonical constructor, so that code
   * may create them (see {@link ClassFileRecords}); without it, none is taken to.
   */
  public MethodLowering classFileRecords(
      java.util.function.Predicate<javax.lang.model.element.TypeElement> plain) {
    scope.plainClassFileRecord = plain;
    return this;
  }

  /** For a method returning a record, what its return keeps; else null. */
  public dev.adjoint.processor.ir.RecordResult recordResult() {
    return scope.recordResult;
  }

  /** Problems found so far; the function must not be generated when this is non-empty. */
  public List<Problem> problems() {
    return scope.problems;
  }

  /**
   * The calls of void helpers inside loops and branches in the function lowered, which
   * {@code CallInlining} must inline, each with the problem to report if it cannot.
   */
  public Map<Stmt, Problem> inPlaceCalls() {
    return scope.inPlaceCalls;
  }

  /**
   * Lowers {@code method} for inlining: as {@link #lower}, but a void method writes its
   * out-parameter in place (its generated gradient works on a copy).
   */
  public Function lowerForInlining(ExecutableElement method) {
    scope.outInPlace = true;
    return lower(method);
  }

  /** Lowers {@code method}, whose signature has already been validated. */
  public Function lower(ExecutableElement method) {
    TreePath methodPath = trees.getPath(method);
    MethodTree tree = (MethodTree) methodPath.getLeaf();
    scope.sourceText = new SourceText(trees, methodPath.getCompilationUnit());
    scope.trees = trees;
    scope.elements = elements;
    scope.resolver = new NameResolver(elements, methodPath.getCompilationUnit(),
        (TypeElement) method.getEnclosingElement());
    scope.returnType = TypeMapping.of(method.getReturnType());
    if (RecordShapes.recordOf(method.getReturnType()) != null) {
      scope.recordResultShape = RecordShapes.of(method.getReturnType()).shape();
      scope.returnType = RecordResults.dotType(scope.recordResultShape);
    }
    if (OutParameters.isVoid(method)) {
      // Differentiated as if it ended in `return out;` (see OutParameters).
      OutParameters.Result out = new OutParameters(trees, elements).of(method);
      if (out.error() != null) {
        scope.problems.add(Problem.on(method, out.error(), out.args().toArray()));
        return null;
      }
      VariableElement p = method.getParameters().get(out.index());
      scope.outParameter = p.getSimpleName().toString();
      scope.returnType = TypeMapping.of(p.asType());
    }
    // Variables named like a class the generated code refers to would hide it there
    // (Tape.get() with a parameter named Tape): such variables are renamed.
    scope.hiddenTypes.addAll(List.of("Tape", "Scratch", "Adjoints", "StopGradient", "Arrays",
        "Math", "StrictMath", "Double", "Float", "Integer", "Long"));
    Element outermost = method.getEnclosingElement();
    while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
      outermost = enclosing;
    }
    scope.hiddenTypes.add(outermost.getSimpleName().toString());
    scope.hiddenTypes.add(GradNames.gradSimpleName((TypeElement) method.getEnclosingElement()));
    scope.hiddenTypes.forEach(scope.names::reserve);
    // Reserve every name the user wrote so that renamed locals never capture one of them.
    for (VariableElement p : method.getParameters()) {
      scope.names.reserve(p.getSimpleName().toString());
    }
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        scope.names.reserve(node.getName().toString());
        return super.visitVariable(node, unused);
      }
    }.scan(tree.getBody(), null);

    scope.enterBlock();
    List<Function.Param> params = new ArrayList<>();
    RecordFlattening records = new RecordFlattening(scope, null);
    if (!method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
      scope.names.reserve("self");
      // The receiver of an instance method of a record: the leading parameter `self`.
      scope.self = records.parameter("self",
          RecordShapes.of(method.getEnclosingElement().asType()).shape(), true, true, params);
    }
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.ofParameter(p.asType());
      String name = p.getSimpleName().toString();
      if (t == null) {
        scope.bindRecord(name, records.parameter(name, RecordShapes.of(p.asType()).shape(),
            !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE), false, params));
        continue;
      }
      Var v = new Var(scope.hiddenTypes.contains(name) ? scope.names.allocate(name) : name, name,
          t, Var.Kind.PARAMETER);
      scope.define(v);
      boolean differentiable = t != null && t.isDifferentiable()
          && !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
      params.add(new Function.Param(v, differentiable));
    }
    if (scope.recordResultShape != null) {
      // The gradient's seed: a record of the result's type, without derivative.
      scope.names.reserve("seed");
      int first = params.size();
      records.parameter("seed", scope.recordResultShape, false, false, params);
      scope.recordSeedLeaves = params.subList(first, params.size()).stream()
          .map(Function.Param::var).toList();
    }
    TreePath bodyPath = new TreePath(methodPath, tree.getBody());
    List<Stmt> body = new ArrayList<>();
    scope.reassignedNames.addAll(assignedNames(tree));
    copyWrittenParameters(methodPath, params, body);
    localiseReassignedParameters(tree, params, methodPath, body);
    if (scope.outParameter != null) {
      scope.outValues = scope.lookup(scope.outParameter);
    }
    statements.lowerBlock(bodyPath, body);
    checkValueAliases(body);
    Var.markReassignedArrays(body);
    if (scope.outParameter != null
        && (body.isEmpty() || !(body.get(body.size() - 1) instanceof Stmt.Return))) {
      body.add(new Stmt.Return(new Expr.Read(scope.outValues), new Source(
          scope.sourceText.of(tree).line(), "end of " + method.getSimpleName() + ": its result is "
          + scope.outParameter)));
    }
    Function f = new Function(method.getSimpleName().toString(), List.copyOf(params),
        scope.returnType, body, scope.sourceText.of(tree));
    scope.problems.addAll(scope.dropped.check(f));
    return f;
  }

  /**
   * The names among {@code candidates} passed as the out-argument of a void helper called inside
   * a loop or a branch: that call is inlined and writes the array in place, so a parameter passed
   * there must be a copy (at the top level the helper's value form leaves it alone).
   */
  private Set<String> outArgumentsInside(TreePath methodPath, Set<String> candidates) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    Set<String> out = new HashSet<>();
    TreePath body = new TreePath(methodPath, method.getBody());
    for (com.sun.source.tree.StatementTree s : method.getBody().getStatements()) {
      if (s instanceof com.sun.source.tree.ExpressionStatementTree) {
        continue; // top level
      }
      new com.sun.source.util.TreePathScanner<Void, Void>() {
        @Override
        public Void visitExpressionStatement(com.sun.source.tree.ExpressionStatementTree node,
            Void unused) {
          if (node.getExpression() instanceof com.sun.source.tree.MethodInvocationTree call
              && trees.getElement(new TreePath(new TreePath(getCurrentPath(), call),
                  call.getMethodSelect())) instanceof ExecutableElement m
              && OutParameters.isVoid(m) && GradNames.isDifferentiable(m)) {
            int k = new OutParameters(trees, elements).of(m).index();
            if (k >= 0 && k < call.getArguments().size()
                && call.getArguments().get(k) instanceof com.sun.source.tree.IdentifierTree id
                && candidates.contains(id.getName().toString())) {
              out.add(id.getName().toString());
            }
          }
          return super.visitExpressionStatement(node, unused);
        }
      }.scan(new TreePath(body, s), null);
    }
    return out;
  }

  /**
   * Reports each whole-array alias ({@code h = next}) of which one side has elements assigned
   * while both names share the array ({@link ArrayAliases}).
   */
  private void checkValueAliases(List<Stmt> body) {
    if (scope.valueAliases.isEmpty()) {
      return;
    }
    ArrayAliases.Written written = ArrayAliases.writtenWhileShared(body);
    for (LoweringScope.ValueAlias a : scope.valueAliases) {
      Set<Var> writes = new HashSet<>(written.inPlace());
      // The local standing for a reassigned parameter array: a top-level void call writing it
      // computes into a new array and leaves the parameter's alone, as the gradient promises.
      if (!(a.source().kind() == Var.Kind.PARAMETER
          && a.path().getLeaf() instanceof MethodTree)) {
        writes.addAll(written.byCalls());
      }
      Var w = writes.contains(a.alias()) ? a.alias()
          : writes.contains(a.source()) ? a.source() : null;
      if (w != null) {
        scope.problem(a.path(), Message.ARRAY_ALIAS_WRITTEN, a.alias().sourceName(),
            a.source().sourceName(), w.sourceName());
      }
    }
  }

  /** The names {@code tree}'s body assigns as a whole ({@code name = ...}). */
  private static Set<String> assignedNames(MethodTree tree) {
    Set<String> names = new HashSet<>();
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(com.sun.source.tree.AssignmentTree node, Void unused) {
        com.sun.source.tree.Tree t = node.getVariable();
        while (t instanceof com.sun.source.tree.ParenthesizedTree p) {
          t = p.getExpression();
        }
        if (t instanceof com.sun.source.tree.IdentifierTree id) {
          names.add(id.getName().toString());
        }
        return super.visitAssignment(node, unused);
      }
    }.scan(tree.getBody(), null);
    return names;
  }

  /**
   * Gives each array parameter the body reassigns ({@code x = normalize(x)}) a local that
   * starts as the parameter and takes its name in scope, so that the parameter itself, whose
   * adjoint is the gradient's result, keeps its array.
   */
  private void localiseReassignedParameters(MethodTree tree, List<Function.Param> params,
      TreePath methodPath, List<Stmt> out) {
    Set<String> arrays = new HashSet<>();
    for (Function.Param p : params) {
      Var v = scope.lookup(p.var().sourceName());
      if (v != null && v.kind() == Var.Kind.PARAMETER && v.type() != null
          && v.type().dims() > 0) {
        arrays.add(v.sourceName());
      }
    }
    for (Function.Param p : params) {
      Var v = p.var();
      if (!arrays.contains(v.sourceName())
          || !scope.reassignedNames.contains(v.sourceName())) {
        continue;
      }
      Var local = new Var(scope.uniqueName(scope.names.allocate(v.sourceName())),
          v.sourceName(), v.type(), Var.Kind.LOCAL);
      scope.declaredNames.add(local.name());
      scope.bind(v.sourceName(), local);
      scope.valueAliases.add(new LoweringScope.ValueAlias(local, v, methodPath));
      out.add(new Stmt.Declare(local, new Expr.Read(v), new Source(
          scope.sourceText.of(tree).line(),
          v.sourceName() + ", which the method reassigns")));
    }
  }

  /**
   * Lets the body work on a copy of each parameter array it writes (see
   * {@link ParameterCopies}): the copy takes the parameter's name in scope.
   */
  private void copyWrittenParameters(TreePath methodPath, List<Function.Param> params,
      List<Stmt> out) {
    MethodTree tree = (MethodTree) methodPath.getLeaf();
    Set<String> arrays = new HashSet<>();
    params.stream().map(Function.Param::var).filter(v -> v.type() != null && v.type().dims() > 0)
        .forEach(v -> arrays.add(v.sourceName()));
    Set<String> written = ParameterCopies.written(tree.getBody(), arrays);
    written.addAll(outArgumentsInside(methodPath, arrays));
    for (Function.Param p : params) {
      Var v = p.var();
      if (!written.contains(v.sourceName())
          || scope.outInPlace && v.sourceName().equals(scope.outParameter)) {
        continue;
      }
      Var copy = new Var(scope.uniqueName(scope.names.allocate(v.sourceName() + "Copy")),
          v.sourceName() + "Copy", v.type(), Var.Kind.LOCAL);
      Var index = new Var(scope.uniqueName(scope.names.allocate("i")), "i", Type.INT,
          Var.Kind.LOCAL);
      scope.declaredNames.add(copy.name());
      scope.declaredNames.add(index.name());
      scope.bind(v.sourceName(), copy);
      Source source = new Source(scope.sourceText.of(tree).line(),
          "copy of " + v.sourceName() + ", which the method writes in place");
      if (v.type().dims() == 1) {
        out.addAll(ParameterCopies.copy(v, copy, index, source));
      } else {
        Var column = new Var(scope.uniqueName(scope.names.allocate("j")), "j", Type.INT,
            Var.Kind.LOCAL);
        scope.declaredNames.add(column.name());
        out.addAll(ParameterCopies.copy2(v, copy, index, column, source));
      }
    }
  }
}
