package dev.adjoint.processor.frontend;

import static dev.adjoint.processor.frontend.LoweringScope.coerce;
import static dev.adjoint.processor.frontend.LoweringScope.describe;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers statements: declarations (with array locals and row aliases), assignments and
 * element stores, branches, loops, {@code break}, {@code continue} and {@code return}. Every
 * statement outside the supported subset becomes a problem on its tree. Expressions are left to
 * {@link ExpressionLowering}.
 */
final class StatementLowering {
  private final LoweringScope scope;
  private final ExpressionLowering expressions;
  private final SwitchLowering switches;
  private final PrintLowering prints;

  StatementLowering(LoweringScope scope, ExpressionLowering expressions) {
    this.scope = scope;
    this.expressions = expressions;
    this.prints = new PrintLowering(scope, expressions);
    this.switches = new SwitchLowering(scope, this, expressions);
    expressions.switches = switches;
  }

  /** Lowers one statement into {@code out} (for the cases of a switch). */
  void lowerInto(TreePath path, List<Stmt> out) {
    lowerStatement(path, out);
  }

  // ---------------------------------------------------------------- blocks

  /**
   * A call statement: only a void {@code @Differentiable} method's, {@code dense(x, w, h);},
   * which is lowered as {@code double[] h2 = dense(x, w, h);} with {@code h} standing for
   * {@code h2} from then on: the call computes the out-parameter's new values into a new array
   * (see {@link OutParameters}), so that the old ones stay for the reverse sweep.
   */
  private void lowerOutCall(TreePath path, Source src, List<Stmt> out) {
    int before = scope.problems.size();
    Expr call = expressions.lowerExpr(path);
    if (!(call instanceof Expr.DiffCall c && c.callee().outParameter() >= 0)) {
      if (scope.problems.size() == before) {
        problem(path, Message.DISCARDED_CALL);
      }
      return;
    }
    String name = c.callee().method();
    int k = c.callee().outParameter();
    TreePath argPath = new TreePath(path,
        ((MethodInvocationTree) path.getLeaf()).getArguments().get(k));
    if (!(c.args().get(k) instanceof Expr.Read r)
        || !(argPath.getLeaf() instanceof IdentifierTree id)) {
      problem(argPath, Message.OUT_ARGUMENT_NOT_A_VARIABLE, name);
      return;
    }
    String written = id.getName().toString();
    for (int i = 0; i < c.args().size(); i++) {
      Expr a = c.args().get(i);
      if (i != k && a.type().dims() > 0 && scope.rootOf(a) == r.var()) {
        problem(argPath, Message.OUT_ARGUMENT_ALSO_INPUT, written, name);
        return;
      }
    }
    if (scope.nesting > 0 || scope.loopDepth > 0) {
      // Inside a loop or a branch the helper's body is inlined, writing h in place (an array
      // cannot be reallocated there); where it cannot be, this problem is reported then.
      Stmt.Eval inPlace = new Stmt.Eval(call);
      scope.inPlaceCalls.put(inPlace, Problem.at(path, Message.OUT_CALL_NESTED, name, written));
      out.add(inPlace);
      return;
    }
    // A call writing an array that has a second name is reported by ArrayAliases.
    Var next = new Var(scope.uniqueName(scope.names.allocate(written)), written,
        r.var().type(), Var.Kind.LOCAL);
    out.add(new Stmt.Declare(next, call, src));
    scope.define(next);
    if (r.var() == scope.outValues) {
      scope.outValues = next;
    }
  }

  void lowerBlock(TreePath blockPath, List<Stmt> out) {
    scope.enterBlock();
    for (StatementTree s : ((BlockTree) blockPath.getLeaf()).getStatements()) {
      lowerStatement(new TreePath(blockPath, s), out);
    }
    scope.exitBlock();
  }

  private List<Stmt> lowerBranch(TreePath path) {
    scope.nesting++;
    try {
      return lowerNested(path);
    } finally {
      scope.nesting--;
    }
  }

  private List<Stmt> lowerNested(TreePath path) {
    List<Stmt> out = new ArrayList<>();
    if (path.getLeaf() instanceof BlockTree) {
      lowerBlock(path, out);
    } else {
      scope.enterBlock();
      lowerStatement(path, out);
      scope.exitBlock();
    }
    return out;
  }

  private void lowerStatement(TreePath path, List<Stmt> out) {
    int mark = out.size();
    lowerOneStatement(path, out);
    if (!scope.pending.isEmpty()) {
      out.addAll(mark, scope.pending);
      scope.pending.clear();
    }
  }

  /** True when the type tree at {@code path} names a record. */
  private boolean isRecordType(TreePath path) {
    javax.lang.model.element.Element e = scope.trees.getElement(path);
    return e != null && e.getKind() == javax.lang.model.element.ElementKind.RECORD;
  }

  private void lowerOneStatement(TreePath path, List<Stmt> out) {
    Tree tree = path.getLeaf();
    Source src = scope.sourceText.of(tree);
    switch (tree.getKind()) {
      case VARIABLE -> {
        VariableTree vt = (VariableTree) tree;
        String name = vt.getName().toString();
        if (vt.getInitializer() != null && isRecordType(new TreePath(path, vt.getType()))) {
          // A record local stands for the record it is initialised with (records are
          // immutable): its components are that record's leaves.
          int before = scope.problems.size();
          RecordValue value = expressions.records.valueOf(
              new TreePath(path, vt.getInitializer()));
          if (value == null) {
            if (scope.problems.size() == before) {
              problem(path, Message.RECORD_LOCAL_VARIABLE, name, vt.getType(), vt.getType());
            }
          } else {
            scope.bindRecord(name, value);
          }
          return;
        }
        Type declared = NameResolver.typeOf(vt.getType());
        int problemsBefore = scope.problems.size();
        scope.copyAllowed = declared != null && declared.dims() == 1
            && vt.getInitializer() instanceof com.sun.source.tree.MethodInvocationTree;
        scope.copyRequest = null;
        Expr init = vt.getInitializer() == null ? null
            : lowerExpr(new TreePath(path, vt.getInitializer()), declared);
        scope.copyAllowed = false;
        LoweringScope.CopyRequest copy = scope.copyRequest;
        scope.copyRequest = null;
        Type t = declared != null ? declared : vt.getType() == null && init != null
            ? init.type() : null;
        if (t == null || t.dims() > 2 || t.prim() == Type.Prim.REFERENCE) {
          // The initializer usually holds the precise culprit (a `new`, a lambda): report it
          // there, and the variable's type only when the initializer is fine.
          if (scope.problems.size() == problemsBefore) {
            if (t == null || t.prim() == Type.Prim.REFERENCE) {
              problem(path, Message.LOCAL_TYPE, name, vt.getType());
            } else {
              problem(path, Message.ARRAY_DIMENSIONS);
            }
          }
          scope.define(new Var(name, name, Type.DOUBLE, Var.Kind.LOCAL));
          return;
        }
        Var v = new Var(scope.uniqueName(name), name, t, Var.Kind.LOCAL);
        init = init == null ? null : coerce(init, t);
        scope.define(v);
        // An initialiser already reported (null, an unsupported call) is the one culprit.
        if (t.dims() > 0 && (scope.problems.size() > problemsBefore
            || !checkArrayLocal(path, v, init))) {
          return;
        }
        if (t.dims() > 0 && init instanceof Expr.Index row) {
          Var index = new Var(scope.uniqueName(name + "Index"), name + "Index", Type.INT,
              Var.Kind.LOCAL);
          scope.declaredNames.add(index.name());
          out.add(new Stmt.Declare(index, row.index(), src));
          scope.aliasExprs.put(v, new Expr.Index(row.array(), new Expr.Read(index), row.type()));
          return;
        }
        out.add(new Stmt.Declare(v, init, src));
        if (copy != null) {
          out.add(copyLoop(v, copy, src));
        }
      }
      case EXPRESSION_STATEMENT -> {
        TreePath exprPath = new TreePath(path, ((ExpressionStatementTree) tree).getExpression());
        lowerExpressionStatement(exprPath, src, out);
      }
      case IF -> {
        IfTree it = (IfTree) tree;
        Expr cond = lowerExpr(new TreePath(path, it.getCondition()), null);
        // Array-valued calls the condition binds to locals go before the if, not into the
        // first statement of a branch.
        List<Stmt> bindings = scope.takePending();
        List<Stmt> then = lowerBranch(new TreePath(path, it.getThenStatement()));
        List<Stmt> otherwise = it.getElseStatement() == null ? List.of()
            : lowerBranch(new TreePath(path, it.getElseStatement()));
        scope.pending.addAll(bindings);
        out.add(new Stmt.If(cond, then, otherwise, src));
      }
      case RETURN -> {
        ReturnTree rt = (ReturnTree) tree;
        Type t = scope.returnType;
        if (rt.getExpression() == null) {
          // return; in a void method returns its out-parameter (see OutParameters).
          out.add(new Stmt.Return(new Expr.Read(scope.lookup(scope.outParameter)), src));
          return;
        }
        TreePath valuePath = new TreePath(path, rt.getExpression());
        if (scope.recordResultShape != null) {
          new RecordResults(scope, expressions).lowerReturn(valuePath, src, out);
          return;
        }
        Expr value = coerce(lowerExpr(valuePath, t), t);
        if (t.dims() > 0 && scope.loopDepth > 0 && !(value instanceof Expr.Read)) {
          // The loop is left first and the array returned after it (see ReturnNormalization).
          problem(valuePath, Message.ARRAY_RETURNED_IN_LOOP);
        }
        out.add(new Stmt.Return(value, src));
      }
      case BLOCK -> lowerBlock(path, out);
      case EMPTY_STATEMENT -> { }
      case FOR_LOOP -> {
        ForLoopTree ft = (ForLoopTree) tree;
        scope.enterBlock();
        List<Stmt> init = new ArrayList<>();
        for (StatementTree st : ft.getInitializer()) {
          lowerStatement(new TreePath(path, st), init);
        }
        scope.loopDepth++;
        scope.inLoopHeader = true;
        Expr cond = ft.getCondition() == null ? new Expr.Const(true, Type.BOOLEAN)
            : lowerExpr(new TreePath(path, ft.getCondition()), null);
        List<Stmt> effects = scope.takePending();
        List<Stmt> update = new ArrayList<>();
        for (StatementTree st : ft.getUpdate()) {
          lowerStatement(new TreePath(path, st), update);
        }
        scope.inLoopHeader = false;
        if (update.size() > ft.getUpdate().size()
            && update.stream().anyMatch(u -> u instanceof Stmt.Declare)) {
          problem(new TreePath(path, ft.getUpdate().get(0)), Message.UPDATE_NEEDS_TEMPORARY);
        }
        List<Stmt> body = lowerBranch(new TreePath(path, ft.getStatement()));
        scope.loopDepth--;
        scope.exitBlock();
        out.add(testingLoop(init, cond, effects, update, body, src));
      }
      case ENHANCED_FOR_LOOP -> lowerEnhancedFor(path, (EnhancedForLoopTree) tree, src, out);
      case WHILE_LOOP -> {
        WhileLoopTree wt = (WhileLoopTree) tree;
        CountingWhile counting = CountingWhile.of(path, wt, scope);
        if (counting != null) {
          lowerCountingWhile(path, wt, counting, src, out);
          return;
        }
        scope.loopDepth++;
        scope.inLoopHeader = true;
        Expr cond = lowerExpr(new TreePath(path, wt.getCondition()), null);
        scope.inLoopHeader = false;
        List<Stmt> effects = scope.takePending();
        List<Stmt> body = lowerBranch(new TreePath(path, wt.getStatement()));
        scope.loopDepth--;
        out.add(testingLoop(List.of(), cond, effects, List.of(), body, src));
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree dt = (DoWhileLoopTree) tree;
        scope.loopDepth++;
        List<Stmt> body = lowerBranch(new TreePath(path, dt.getStatement()));
        scope.inLoopHeader = true;
        Expr cond = lowerExpr(new TreePath(path, dt.getCondition()), null);
        scope.inLoopHeader = false;
        List<Stmt> effects = scope.takePending();
        scope.loopDepth--;
        if (!effects.isEmpty()) {
          if (Uses.continues(body)) {
            problem(new TreePath(path, dt.getCondition()), Message.DO_WHILE_EFFECT_AND_CONTINUE);
          }
          body = new ArrayList<>(body);
          body.addAll(effects);
        }
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, false, src));
      }
      case BREAK -> {
        if (((BreakTree) tree).getLabel() != null) {
          problem(path, Message.LABELLED_BREAK);
        } else {
          out.add(new Stmt.Break(src));
        }
      }
      case CONTINUE -> {
        if (((ContinueTree) tree).getLabel() != null) {
          problem(path, Message.LABELLED_CONTINUE);
        } else {
          out.add(new Stmt.Continue(src));
        }
      }
      case SWITCH -> switches.lowerStatement(path, out);
      case YIELD -> {
        TreePath valuePath = new TreePath(path, ((YieldTree) tree).getValue());
        Expr value = lowerExpr(valuePath);
        if (scope.yieldTarget != null) {
          scope.yieldValues.add(value);
          out.add(new Stmt.Assign(scope.yieldTarget, AssignOp.SET, value, src));
          out.add(new Stmt.Break(src));
        }
      }
      case ASSERT -> problem(path, Message.ASSERT);
      case TRY -> problem(path, Message.TRY);
      case THROW -> problem(path, Message.THROW);
      case SYNCHRONIZED -> problem(path, Message.SYNCHRONIZED);
      case LABELED_STATEMENT -> problem(path, Message.LABELLED_STATEMENT);
      case CLASS, INTERFACE, ENUM, RECORD -> problem(path, Message.LOCAL_CLASS);
      default -> problem(path, Message.STATEMENT, describe(tree.getKind()));
    }
  }

  /**
   * The loop a copy initialises its array with: {@code for (int i = 0; i < y.length; i++)
   * y[i] = x[i];} ({@code i < Math.min(y.length, x.length)} for {@code Arrays.copyOf}).
   */
  private Stmt copyLoop(Var target, LoweringScope.CopyRequest copy, Source src) {
    Var i = new Var(scope.uniqueName(scope.names.allocate("i")), "i", Type.INT, Var.Kind.LOCAL);
    scope.declaredNames.add(i.name());
    Expr bound = new Expr.Length(new Expr.Read(target));
    if (!(copy.length() instanceof Expr.Length l && l.array().equals(copy.source()))) {
      bound = new Expr.LibraryCall("Math", "min", List.of(bound, new Expr.Length(copy.source())),
          Type.INT);
    }
    return ElementCopy.loop(i, target, copy.source(), bound, src);
  }

  /**
   * A loop testing {@code cond} first. When the condition assigns ({@code effects}, the
   * statements it lowered to), they run before every test: {@code while ((x = f(x)) > 1) body}
   * becomes {@code for (;;) { x = f(x); if (!(x > 1)) break; body }}.
   */
  private static Stmt.Loop testingLoop(List<Stmt> init, Expr cond, List<Stmt> effects,
      List<Stmt> update, List<Stmt> body, Source src) {
    if (effects.isEmpty()) {
      return new Stmt.Loop(init, cond, update, body, true, src);
    }
    List<Stmt> all = new ArrayList<>(effects);
    all.add(new Stmt.If(new Expr.Unary(UnaryOp.NOT, cond, Type.BOOLEAN),
        List.of(new Stmt.Break(src)), List.of(), src));
    all.addAll(body);
    return new Stmt.Loop(init, new Expr.Const(true, Type.BOOLEAN), update, all, true, src);
  }

  /**
   * {@code while (n-- > 0) body} as a counted loop over a fresh index that stands for
   * {@code n} in the body: {@code for (int n2 = n - 1; n2 + 1 > 0; n2--) body[n := n2]}, and
   * {@code n = n2} after it when {@code n} is read later.
   */
  private void lowerCountingWhile(TreePath path, WhileLoopTree wt, CountingWhile c, Source src,
      List<Stmt> out) {
    Var n = c.counter();
    Expr bound = coerce(lowerExpr(c.boundPath()), Type.INT);
    Var k = new Var(scope.uniqueName(scope.names.allocate(n.sourceName())), n.sourceName(),
        Type.INT, Var.Kind.LOCAL);
    scope.declaredNames.add(k.name());
    Expr one = new Expr.Const(1, Type.INT);
    BinaryOp stepOp = c.step() > 0 ? BinaryOp.ADD : BinaryOp.SUB;
    Stmt start = new Stmt.Declare(k, new Expr.Binary(stepOp, new Expr.Read(n), one, Type.INT),
        src);
    // The tested value: the counter before the step (postfix) or after it (prefix).
    Expr tested = c.postfix() ? new Expr.Binary(c.step() > 0 ? BinaryOp.SUB : BinaryOp.ADD,
        new Expr.Read(k), one, Type.INT) : new Expr.Read(k);
    Expr cond = new Expr.Binary(c.op(), c.counterLeft() ? tested : bound,
        c.counterLeft() ? bound : tested, Type.BOOLEAN);
    Stmt step = new Stmt.Assign(k, c.step() > 0 ? AssignOp.ADD : AssignOp.SUB, one, src);
    Expr previous = scope.aliasExprs.put(n, new Expr.Read(k));
    scope.loopDepth++;
    List<Stmt> body = lowerBranch(new TreePath(path, wt.getStatement()));
    scope.loopDepth--;
    if (previous == null) {
      scope.aliasExprs.remove(n);
    } else {
      scope.aliasExprs.put(n, previous);
    }
    if (c.readAfter()) {
      out.add(start);
      out.add(new Stmt.Loop(List.of(), cond, List.of(step), body, true, src));
      out.add(new Stmt.Assign(n, AssignOp.SET, new Expr.Read(k), src));
    } else {
      out.add(new Stmt.Loop(List.of(start), cond, List.of(step), body, true, src));
    }
  }

  private void lowerExpressionStatement(TreePath path, Source src, List<Stmt> out) {
    Tree tree = path.getLeaf();
    if (AssignmentLowering.handles(tree.getKind())) {
      expressions.assignments.lower(path, src, false);
      return;
    }
    switch (tree.getKind()) {
      case METHOD_INVOCATION -> {
        String stream = PrintLowering.stream((MethodInvocationTree) tree);
        if (stream != null) {
          Stmt print = prints.lower(path, stream);
          if (print != null) {
            out.add(print);
          }
          return;
        }
        if (((com.sun.source.tree.MethodInvocationTree) tree).getMethodSelect().toString()
            .equals("System.arraycopy")) {
          problem(path, Message.ARRAY_COPY_CALL, "System.arraycopy");
          return;
        }
        lowerOutCall(path, src, out);
      }
      case NEW_CLASS -> problem(path, Message.OBJECT_CREATION);
      default -> problem(path, Message.EXPRESSION_STATEMENT, describe(tree.getKind()));
    }
  }

  /**
   * Checks an array local: it must be a fresh array, another array variable, or a row of
   * another array (an alias, whose adjoint is the same row of that array's adjoint).
   */
  private boolean checkArrayLocal(TreePath path, Var v, Expr init) {
    if (init == null) {
      problem(path, Message.ARRAY_LOCAL_UNINITIALISED, v.sourceName());
      return false;
    }
    if (init instanceof Expr.Index row) {
      Var root = scope.rootOf(row);
      if (root != null) {
        scope.aliasRoots.put(v, root);
        return true;
      }
    }
    return scope.checkArrayValue(path, v, init);
  }

  private void lowerEnhancedFor(TreePath path, EnhancedForLoopTree ft, Source src,
      List<Stmt> out) {
    TreePath over = new TreePath(path, ft.getExpression());
    javax.lang.model.type.TypeMirror overType = scope.trees.getTypeMirror(over);
    if (overType != null && overType.getKind() != javax.lang.model.type.TypeKind.ARRAY
        && overType.getKind() != javax.lang.model.type.TypeKind.ERROR) {
      // A List or another Iterable: the loop is the one culprit, not the call that makes it.
      problem(over, Message.ENHANCED_FOR_OVER_NON_ARRAY);
      return;
    }
    Expr array = lowerExpr(over);
    if (array.type() == null || array.type().dims() == 0) {
      problem(new TreePath(path, ft.getExpression()), Message.ENHANCED_FOR_OVER_NON_ARRAY);
      return;
    }
    if (array instanceof Expr.DiffCall || array instanceof Expr.CustomCall) {
      // Java evaluates the array once: bind the call's result to a local before the loop.
      List<Expr> holder = new ArrayList<>(List.of(array));
      if (!expressions.bindArrayCallArguments(new TreePath(path, ft.getExpression()), holder)) {
        return;
      }
      array = holder.get(0);
    }
    List<Stmt> bindings = scope.takePending();
    if (array instanceof Expr.Read r && assignsWhole(ft.getStatement(), r.var().sourceName())) {
      // Java evaluates the array once; the body gives the variable another array: iterate
      // over the one it held when the loop started.
      Var held = new Var(scope.uniqueName(scope.names.allocate(r.var().sourceName() + "Held")),
          r.var().sourceName() + "Held", r.var().type(), Var.Kind.LOCAL);
      scope.declaredNames.add(held.name());
      scope.valueAliases.add(new LoweringScope.ValueAlias(held, r.var(),
          new TreePath(path, ft.getExpression())));
      bindings.add(new Stmt.Declare(held, array, src));
      array = new Expr.Read(held);
    }
    Var index = new Var(scope.names.allocate("i"), "i", Type.INT, Var.Kind.LOCAL);
    Type declared = NameResolver.typeOf(ft.getVariable().getType());
    Type t = declared != null ? declared : array.type().component();
    String name = ft.getVariable().getName().toString();
    Var element = new Var(scope.uniqueName(name), name, t, Var.Kind.LOCAL);
    scope.enterBlock();
    scope.define(element);
    scope.loopDepth++;
    List<Stmt> body = new ArrayList<>();
    Expr init = coerce(new Expr.Index(array, new Expr.Read(index), array.type().component()), t);
    if (t.dims() > 0 && scope.rootOf(array) != null) {
      // A row of the array: the loop variable stands for array[i] (i is not changed by the
      // body, which cannot see it).
      scope.aliasRoots.put(element, scope.rootOf(array));
      scope.aliasExprs.put(element, (Expr.Index) init);
    } else {
      body.add(new Stmt.Declare(element, init, src));
    }
    body.addAll(lowerBranch(new TreePath(path, ft.getStatement())));
    scope.loopDepth--;
    scope.exitBlock();
    scope.pending.addAll(bindings);
    out.add(new Stmt.Loop(
        List.of(new Stmt.Declare(index, new Expr.Const(0, Type.INT), src)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(index), new Expr.Length(array), Type.BOOLEAN),
        List.of(new Stmt.Assign(index, AssignOp.ADD, new Expr.Const(1, Type.INT), src)),
        body, true, src));
  }

  /** True when {@code tree} assigns the variable {@code name} as a whole ({@code name = ...}). */
  private static boolean assignsWhole(Tree tree, String name) {
    Boolean found = new com.sun.source.util.TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitAssignment(com.sun.source.tree.AssignmentTree node, Void unused) {
        Tree t = node.getVariable();
        while (t instanceof com.sun.source.tree.ParenthesizedTree p) {
          t = p.getExpression();
        }
        if (t instanceof IdentifierTree id && id.getName().contentEquals(name)) {
          return true;
        }
        return super.visitAssignment(node, unused);
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }
    }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  private Expr lowerExpr(TreePath path) {
    return expressions.lowerExpr(path);
  }

  private Expr lowerExpr(TreePath path, Type expected) {
    return expressions.lowerExpr(path, expected);
  }

  private void problem(TreePath path, Message message, Object... args) {
    scope.problem(path, message, args);
  }
}
