package dev.adjoint.processor.frontend;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.RecordLeaf;
import dev.adjoint.processor.ir.RecordShape;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;

/**
 * Scalar replacement of records: a record parameter (and the receiver {@code self} of an instance
 * method of a record) becomes one IR parameter per leaf component, {@code p.w1()} (or {@code w1}
 * and {@code this.w1} in the record's own methods) reads that leaf, and a record passed to a
 * {@code @Differentiable} method is passed as its leaves. The back end rebuilds records from the
 * leaves where the generated code meets the user's (signatures, results, calls).
 */
final class RecordFlattening {
  private final LoweringScope scope;
  /** Lowers the values of records created in the body; null where none can be. */
  private final ExpressionLowering expressions;

  RecordFlattening(LoweringScope scope, ExpressionLowering expressions) {
    this.scope = scope;
    this.expressions = expressions;
  }

  /**
   * Declares the leaves of record parameter {@code root} as parameters of the function, appended
   * to {@code params}, and returns the record they make up.
   */
  RecordValue parameter(String root, RecordShape shape, boolean differentiable,
      boolean receiver, List<Function.Param> params) {
    return parameter(root, shape, shape, List.of(), differentiable, receiver, params);
  }

  private RecordValue parameter(String root, RecordShape whole, RecordShape shape,
      List<String> prefix, boolean differentiable, boolean receiver,
      List<Function.Param> params) {
    List<Object> parts = new ArrayList<>();
    for (RecordShape.Component c : shape.components()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(c.name());
      if (c.nested() != null) {
        parts.add(parameter(root, whole, c.nested(), path, differentiable, receiver, params));
        continue;
      }
      String base = receiver ? path.get(0) : root;
      for (int i = receiver ? 1 : 0; i < path.size(); i++) {
        base += GradNames.capitalize(path.get(i));
      }
      Var v = new Var(scope.uniqueName(scope.names.allocate(base)), base, c.type(),
          Var.Kind.PARAMETER);
      scope.declaredNames.add(v.name());
      scope.leafText.put(v, (receiver ? "this" : root) + "." + String.join("().", path) + "()");
      params.add(new Function.Param(v, differentiable && c.type().isDifferentiable(),
          new RecordLeaf(root, whole, List.copyOf(path), receiver)));
      parts.add(v);
    }
    return new RecordValue(shape, List.copyOf(parts));
  }

  /**
   * The record {@code path} denotes (a record parameter or local, {@code this}, a component of
   * one that is a record), or null when it denotes no record the front end replaced.
   */
  RecordValue valueOf(TreePath path) {
    Tree tree = path.getLeaf();
    if (tree instanceof ParenthesizedTree p) {
      return valueOf(new TreePath(path, p.getExpression()));
    }
    if (tree instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (name.equals("this")) {
        return scope.self;
      }
      if (scope.lookup(name) != null) {
        return null;
      }
      RecordValue local = scope.lookupRecord(name);
      if (local != null) {
        return local;
      }
      return scope.self != null && scope.self.part(name) instanceof RecordValue r
          && isOwnField(path) ? r : null;
    }
    if (tree instanceof MemberSelectTree ms) {
      RecordValue outer = valueOf(new TreePath(path, ms.getExpression()));
      return outer != null && outer.part(ms.getIdentifier().toString()) instanceof RecordValue r
          ? r : null;
    }
    if (tree instanceof MethodInvocationTree mt && mt.getArguments().isEmpty()) {
      Object part = accessed(path, mt);
      return part instanceof RecordValue r ? r : null;
    }
    if (tree instanceof NewClassTree nt && expressions != null) {
      return create(path, nt);
    }
    return null;
  }

  /**
   * {@code new Params(a, b)}: a record whose scalar components are fresh locals holding the
   * arguments' values and whose array components are the array variables passed (records are
   * immutable, so the record stands for them). Null, with a problem, when it cannot be replaced.
   */
  private RecordValue create(TreePath path, NewClassTree nt) {
    Element e = scope.trees.getElement(path);
    if (!(e instanceof ExecutableElement ctor)
        || e.getEnclosingElement().getKind() != ElementKind.RECORD) {
      return null;
    }
    javax.lang.model.element.TypeElement record =
        (javax.lang.model.element.TypeElement) ctor.getEnclosingElement();
    RecordShapes.Result shape = RecordShapes.of(record.asType());
    if (shape.shape() == null) {
      scope.problem(path, shape.message(), shape.args().toArray());
      return null;
    }
    var components = record.getRecordComponents();
    boolean canonical = ctor.getParameters().size() == components.size();
    for (int i = 0; canonical && i < components.size(); i++) {
      canonical = ctor.getParameters().get(i).asType().toString()
          .equals(components.get(i).asType().toString());
    }
    if (!canonical || nt.getClassBody() != null) {
      scope.problem(path, Message.RECORD_CONSTRUCTOR, record.getSimpleName());
      return null;
    }
    if (scope.elements != null
        && scope.elements.getOrigin(ctor) != javax.lang.model.util.Elements.Origin.MANDATED
        && !(scope.trees.getPath(record) == null && scope.plainClassFileRecord.test(record))) {
      // A compact or explicit canonical constructor may check or change the values: the
      // front end would bypass it. (A class file does not say whether its constructor was
      // implicit: its bytecode does.)
      scope.problem(path, Message.RECORD_CUSTOM_CONSTRUCTOR, record.getSimpleName(),
          record.getSimpleName());
      return null;
    }
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      RecordShape.Component c = shape.shape().components().get(i);
      TreePath arg = new TreePath(path, nt.getArguments().get(i));
      if (c.nested() != null) {
        RecordValue nested = valueOf(arg);
        if (nested == null) {
          scope.problem(arg, Message.RECORD_ARGUMENT, nt.getArguments().get(i), c.name(),
              "new " + record.getSimpleName());
          return null;
        }
        parts.add(nested);
        continue;
      }
      int before = scope.problems.size();
      Expr value = LoweringScope.coerce(expressions.lowerExpr(arg, c.type()), c.type());
      if (scope.problems.size() > before) {
        return null;
      }
      if (c.type().dims() > 0) {
        if (value instanceof Expr.Read r && !scope.aliasExprs.containsKey(r.var())) {
          if (!scope.reassignedNames.contains(r.var().sourceName())) {
            parts.add(r.var());
            continue;
          }
          // The variable is given another array later: the record keeps the array it holds
          // now, through an alias of its own (whose elements then may not be written).
          Var alias = new Var(scope.uniqueName(scope.names.allocate(c.name())), c.name(),
              c.type(), Var.Kind.LOCAL);
          scope.declaredNames.add(alias.name());
          scope.pending.add(new dev.adjoint.processor.ir.Stmt.Declare(alias, value,
              scope.sourceText.of(nt)));
          scope.valueAliases.add(new LoweringScope.ValueAlias(alias, r.var(), arg));
          parts.add(alias);
          continue;
        }
        if (value instanceof Expr.Index row && scope.rootOf(row) != null) {
          // A row, w[k]: an alias standing for w[kIndex], as for double[] row = w[k].
          Var alias = new Var(scope.uniqueName(scope.names.allocate(c.name())), c.name(),
              c.type(), Var.Kind.LOCAL);
          Var index = new Var(scope.uniqueName(scope.names.allocate(c.name() + "Index")),
              c.name() + "Index", Type.INT, Var.Kind.LOCAL);
          scope.declaredNames.add(alias.name());
          scope.declaredNames.add(index.name());
          scope.pending.add(new dev.adjoint.processor.ir.Stmt.Declare(index, row.index(),
              scope.sourceText.of(nt)));
          scope.aliasRoots.put(alias, scope.rootOf(row));
          scope.aliasExprs.put(alias, new Expr.Index(row.array(), new Expr.Read(index),
              row.type()));
          parts.add(alias);
          continue;
        }
        scope.problem(arg, Message.RECORD_ARRAY_ARGUMENT, c.name(), c.type(), c.name());
        return null;
      }
      Var t = new Var(scope.uniqueName(scope.names.allocate(c.name())), c.name(), c.type(),
          Var.Kind.LOCAL);
      scope.declaredNames.add(t.name());
      scope.pending.add(new dev.adjoint.processor.ir.Stmt.Declare(t, value,
          scope.sourceText.of(nt)));
      parts.add(t);
    }
    return new RecordValue(shape.shape(), List.copyOf(parts));
  }

  /**
   * The component an accessor call {@code p.w1()} (or {@code w1()} in the record's own methods)
   * reads: a leaf {@link Var} or a nested {@link RecordValue}; null when the call is no accessor
   * of a replaced record.
   */
  Object accessed(TreePath path, MethodInvocationTree mt) {
    if (!mt.getArguments().isEmpty()) {
      return null;
    }
    ExpressionTree select = mt.getMethodSelect();
    RecordValue receiver;
    String name;
    if (select instanceof MemberSelectTree ms) {
      receiver = valueOf(new TreePath(path, ms.getExpression()));
      name = ms.getIdentifier().toString();
    } else if (select instanceof IdentifierTree id) {
      receiver = scope.self;
      name = id.getName().toString();
    } else {
      return null;
    }
    if (receiver == null || !isAccessor(path)) {
      return null;
    }
    return receiver.part(name);
  }

  /**
   * The leaf read by the identifier or field access at {@code path} ({@code w1} or
   * {@code this.w1} in a method of the record), or null.
   */
  Expr field(TreePath path) {
    Tree tree = path.getLeaf();
    Object part = null;
    if (tree instanceof IdentifierTree id && scope.self != null && isOwnField(path)) {
      part = scope.self.part(id.getName().toString());
    } else if (tree instanceof MemberSelectTree ms) {
      RecordValue outer = valueOf(new TreePath(path, ms.getExpression()));
      part = outer == null ? null : outer.part(ms.getIdentifier().toString());
    }
    return part instanceof Var v ? read(v) : null;
  }

  /** A read of leaf {@code v}: the row it stands for when it aliases one. */
  Expr read(Var v) {
    Expr alias = scope.aliasExprs.get(v);
    return alias != null ? alias : new Expr.Read(v);
  }

  /** The reads of the leaves of {@code value}, in order. */
  List<Expr> reads(RecordValue value) {
    return value.leaves().stream().map(this::read).toList();
  }

  /** True when javac resolved the call at {@code path} to a record's component accessor. */
  private boolean isAccessor(TreePath path) {
    Element e = scope.trees.getElement(path);
    return e instanceof ExecutableElement m && m.getParameters().isEmpty()
        && m.getEnclosingElement().getKind() == ElementKind.RECORD
        && !m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)
        && ((javax.lang.model.element.TypeElement) m.getEnclosingElement())
            .getRecordComponents().stream()
            .anyMatch(c -> c.getSimpleName().contentEquals(m.getSimpleName()));
  }

  /** True when javac resolved the name at {@code path} to a field of a record (a component). */
  private boolean isOwnField(TreePath path) {
    Element e = scope.trees.getElement(path);
    return e != null && e.getKind() == ElementKind.FIELD
        && e.getEnclosingElement().getKind() == ElementKind.RECORD
        && !e.getModifiers().contains(javax.lang.model.element.Modifier.STATIC);
  }
}
