package dev.adjoint.processor.frontend;

import static dev.adjoint.processor.frontend.LoweringScope.coerce;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.normalize.FreshCopies;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Lowers {@code switch} statements and expressions over {@code int}, {@code char},
 * {@code short}, {@code byte}, enums and {@code String}s to chains of {@code if}/{@code else}, in
 * the order of the cases, with the default last (an enum's cases test {@code a == Act.RELU}, a
 * String's {@code Objects.equals(s, "relu")}). A case that falls through continues with the next case's statements
 * (copied into its branch); a {@code break} of the switch ends its branch, the statements after a
 * conditional {@code break} move into the other branch of that {@code if}. A switch expression
 * assigns its value to a fresh local declared before the statement that uses it
 * ({@code yield v} assigns and leaves the switch).
 */
final class SwitchLowering {
  private final LoweringScope scope;
  private final StatementLowering statements;
  private final ExpressionLowering expressions;

  SwitchLowering(LoweringScope scope, StatementLowering statements,
      ExpressionLowering expressions) {
    this.scope = scope;
    this.statements = statements;
    this.expressions = expressions;
  }

  /** Lowers a switch statement into {@code out}. */
  void lowerStatement(TreePath path, List<Stmt> out) {
    SwitchTree st = (SwitchTree) path.getLeaf();
    Expr selector = selector(new TreePath(path, st.getExpression()));
    if (selector == null) {
      return;
    }
    List<Stmt> bindings = scope.takePending();
    out.addAll(chain(path, selector, st.getCases(), null, scope.sourceText.of(st)));
    scope.pending.addAll(bindings);
  }

  /** Lowers a switch expression: its value, computed by statements added to pending. */
  Expr lowerExpression(TreePath path) {
    SwitchExpressionTree st = (SwitchExpressionTree) path.getLeaf();
    Expr selector = selector(new TreePath(path, st.getExpression()));
    if (selector == null) {
      return new Expr.Const(0.0, Type.DOUBLE);
    }
    // The cases assign a placeholder, replaced once their values give the switch's type.
    Var placeholder = new Var("selected", "selected", Type.DOUBLE, Var.Kind.LOCAL);
    Source src = scope.sourceText.of(st);
    List<Stmt> bindings = scope.takePending();
    List<Expr> outerValues = scope.yieldValues;
    scope.yieldValues = new ArrayList<>();
    List<Stmt> chain = chain(path, selector, st.getCases(), placeholder, src);
    Type type = null;
    boolean mixed = false;
    for (Expr v : scope.yieldValues) {
      Type t = v.type();
      mixed |= type != null && !type.equals(t) && !(type.isNumeric() && t.isNumeric());
      type = type == null || type.equals(t) || mixed ? t : Type.promote(type, t);
    }
    scope.yieldValues = outerValues;
    if (type == null || mixed || type.dims() > 0
        || !(type.isNumeric() || type.equals(Type.BOOLEAN))) {
      scope.problem(path, Message.SWITCH_EXPRESSION_TYPE);
      return new Expr.Const(0.0, Type.DOUBLE);
    }
    Var result = new Var(scope.uniqueName(scope.names.allocate("selected")), "selected", type,
        Var.Kind.LOCAL);
    scope.declaredNames.add(result.name());
    chain = retarget(chain, placeholder, result);
    scope.pending.addAll(bindings);
    scope.pending.add(new Stmt.Declare(result, null, src));
    scope.pending.addAll(chain);
    return new Expr.Read(result);
  }

  /** {@code body} with the assignments of {@code from} assigning {@code to}, converted. */
  private static List<Stmt> retarget(List<Stmt> body, Var from, Var to) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : body) {
      if (s instanceof Stmt.Assign a && a.target() == from) {
        out.add(new Stmt.Assign(to, AssignOp.SET, coerce(a.value(), to.type()), a.source()));
      } else {
        out.add(Stmt.withBlocks(s, b -> retarget(b, from, to)));
      }
    }
    return out;
  }

  private Expr selector(TreePath path) {
    Expr selector = expressions.lowerExpr(path);
    Type t = selector.type();
    if (TypeMapping.isSelectable(t)) {
      return selector; // an enum or String parameter or constant
    }
    if (t == null || !t.isIntegral() || t.equals(Type.LONG) || t.dims() > 0) {
      scope.problem(path, Message.SWITCH_SELECTOR);
      return null;
    }
    if (!(selector instanceof Expr.Read) && !(selector instanceof Expr.Const)) {
      // Evaluated once, before the cases are tested.
      selector = scope.saveAt(scope.pending.size(), selector, "selector");
    }
    return selector;
  }

  /**
   * The value of a case label of a switch over an enum ({@code RELU}: the constant
   * {@code Act.RELU}) or a {@code String} (a literal or a constant).
   */
  private Expr label(TreePath path, Type selector) {
    Tree t = path.getLeaf();
    if (selector.className().equals(TypeMapping.STRING)) {
      if (t instanceof LiteralTree literal && literal.getValue() instanceof String value) {
        return new Expr.Const(value, selector);
      }
      return expressions.lowerExpr(path); // a String constant
    }
    String name = t instanceof IdentifierTree id ? id.getName().toString()
        : t instanceof MemberSelectTree ms ? ms.getIdentifier().toString() : null;
    TypeElement type = scope.resolver.typeNamed(selector.className());
    VariableElement constant = name == null || type == null ? null
        : scope.resolver.field(type, name);
    if (constant == null || constant.getKind() != ElementKind.ENUM_CONSTANT) {
      scope.problem(path, Message.SWITCH_SELECTOR);
      return new Expr.Null(selector);
    }
    return new Expr.StaticField(selector.className(), name, selector);
  }

  /** {@code selector == label} for an enum, {@code Objects.equals(selector, label)} for a String. */
  private static Expr matches(Expr selector, Expr label) {
    if (selector.type().className().equals(TypeMapping.STRING)) {
      return new Expr.LibraryCall("java.util.Objects", "equals", List.of(selector, label),
          Type.BOOLEAN);
    }
    return new Expr.Binary(BinaryOp.EQ, selector, label, Type.BOOLEAN);
  }

  /** {@code Objects.requireNonNull(selector)}. */
  private static Expr nonNull(Expr selector) {
    return new Expr.LibraryCall("java.util.Objects", "requireNonNull", List.of(selector),
        selector.type());
  }

  /**
   * The if/else chain for {@code cases}; a switch expression assigns {@code result}.
   */
  private List<Stmt> chain(TreePath path, Expr selector, List<? extends CaseTree> cases,
      Var result, Source src) {
    int n = cases.size();
    List<List<Stmt>> bodies = new ArrayList<>();
    List<Boolean> completes = new ArrayList<>();
    List<Expr> tests = new ArrayList<>();
    int defaultCase = -1;
    boolean firstTest = false;
    Var outer = scope.yieldTarget;
    scope.yieldTarget = result;
    scope.nesting++;
    scope.enterBlock(); // the cases of a colon-form switch share one block
    try {
      for (int i = 0; i < n; i++) {
        CaseTree c = cases.get(i);
        TreePath casePath = new TreePath(path, c);
        Expr test = null;
        for (ExpressionTree label : c.getExpressions()) {
          TreePath labelPath = new TreePath(casePath, label);
          Expr eq;
          if (TypeMapping.isSelectable(selector.type())) {
            // Java's switch throws NullPointerException on a null selector; so does the first
            // test, which every execution evaluates.
            eq = matches(firstTest ? selector : nonNull(selector), label(labelPath,
                selector.type()));
            firstTest = true;
          } else {
            Expr value = expressions.lowerExpr(labelPath);
            Type common = value.type().equals(selector.type()) ? value.type()
                : Type.promote(selector.type(), Type.INT);
            eq = new Expr.Binary(BinaryOp.EQ, coerce(selector, common), coerce(value, common),
                Type.BOOLEAN);
          }
          test = test == null ? eq : new Expr.Binary(BinaryOp.OR, test, eq, Type.BOOLEAN);
        }
        if (c.getExpressions().isEmpty()) {
          defaultCase = i;
        }
        tests.add(test);
        List<Stmt> body = new ArrayList<>();
        if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
          Tree b = c.getBody();
          TreePath bodyPath = new TreePath(casePath, b);
          if (b instanceof ExpressionTree e && result != null) {
            Expr value = expressions.lowerExpr(bodyPath);
            body.addAll(scope.takePending());
            scope.yieldValues.add(value);
            body.add(new Stmt.Assign(result, AssignOp.SET, value, scope.sourceText.of(b)));
          } else if (b instanceof BlockTree) {
            statements.lowerBlock(bodyPath, body);
          } else {
            statements.lowerInto(bodyPath, body);
          }
          completes.add(false);
        } else {
          for (StatementTree s : c.getStatements()) {
            statements.lowerInto(new TreePath(casePath, s), body);
          }
          completes.add(canComplete(body));
        }
        bodies.add(body);
      }
    } finally {
      scope.exitBlock();
      scope.nesting--;
      scope.yieldTarget = outer;
    }
    // A case that completes normally falls through into the next one.
    List<List<Stmt>> effective = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      effective.add(null);
    }
    List<Stmt> next = List.of();
    for (int i = n - 1; i >= 0; i--) {
      List<Stmt> e = new ArrayList<>(bodies.get(i));
      if (completes.get(i)) {
        // A second place for the next case's statements: fresh instances (see FreshCopies).
        e.addAll(FreshCopies.of(next));
      }
      effective.set(i, withoutBreaks(e));
      next = e;
    }
    // case 1: case 2: body, labels without statements of their own, test together.
    boolean[] merged = new boolean[n];
    for (int i = 0; i < n - 1; i++) {
      if (bodies.get(i).isEmpty() && completes.get(i) && i != defaultCase) {
        merged[i] = true;
        if (i + 1 != defaultCase) {
          tests.set(i + 1, new Expr.Binary(BinaryOp.OR, tests.get(i), tests.get(i + 1),
              Type.BOOLEAN));
        }
      }
    }
    List<Stmt> otherwise = defaultCase >= 0 ? effective.get(defaultCase) : List.of();
    for (int i = n - 1; i >= 0; i--) {
      if (i == defaultCase || merged[i]) {
        continue;
      }
      if (result != null && defaultCase < 0 && otherwise.isEmpty()) {
        // An exhaustive switch expression without default: its last case is the else.
        otherwise = effective.get(i);
        continue;
      }
      otherwise = List.of(new Stmt.If(tests.get(i), effective.get(i), otherwise, src));
    }
    return otherwise;
  }

  /**
   * {@code body} with the breaks of the switch removed: a {@code break} drops what follows it,
   * and what follows an {@code if} with a {@code break} inside goes into both of its branches.
   */
  static List<Stmt> withoutBreaks(List<Stmt> body) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      Stmt s = body.get(i);
      if (s instanceof Stmt.Break) {
        return out;
      }
      if (s instanceof Stmt.If f && (breaks(f.then()) || breaks(f.otherwise()))) {
        List<Stmt> rest = body.subList(i + 1, body.size());
        boolean twice = canComplete(f.then()) && canComplete(f.otherwise());
        List<Stmt> then = new ArrayList<>(f.then());
        List<Stmt> otherwise = new ArrayList<>(f.otherwise());
        if (canComplete(then)) {
          then.addAll(rest);
        }
        if (canComplete(otherwise)) {
          otherwise.addAll(twice ? FreshCopies.of(rest) : rest);
        }
        out.add(new Stmt.If(f.condition(), withoutBreaks(then), withoutBreaks(otherwise),
            f.source()));
        return out;
      }
      out.add(s);
    }
    return out;
  }

  /** True when a {@code break} of the switch occurs in {@code body} (not in a nested loop). */
  private static boolean breaks(List<Stmt> body) {
    for (Stmt s : body) {
      if (s instanceof Stmt.Break
          || s instanceof Stmt.If f && (breaks(f.then()) || breaks(f.otherwise()))) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code body} can complete normally (falls through to what follows it). */
  static boolean canComplete(List<Stmt> body) {
    if (body.isEmpty()) {
      return true;
    }
    Stmt last = body.get(body.size() - 1);
    if (last instanceof Stmt.Break || last instanceof Stmt.Continue
        || last instanceof Stmt.Return) {
      return false;
    }
    if (last instanceof Stmt.If f) {
      return canComplete(f.then()) || canComplete(f.otherwise());
    }
    return true;
  }
}
