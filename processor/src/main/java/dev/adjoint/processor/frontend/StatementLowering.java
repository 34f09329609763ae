package dev.adjoint.processor.frontend;

import static dev.adjoint.processor.frontend.LoweringScope.coerce;
import static dev.adjoint.processor.frontend.LoweringScope.describe;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
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

  StatementLowering(LoweringScope scope, ExpressionLowering expressions) {
    this.scope = scope;
    this.expressions = expressions;
  }

  // ---------------------------------------------------------------- blocks

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

  private void lowerOneStatement(TreePath path, List<Stmt> out) {
    Tree tree = path.getLeaf();
    Source src = scope.sourceText.of(tree);
    switch (tree.getKind()) {
      case VARIABLE -> {
        VariableTree vt = (VariableTree) tree;
        String name = vt.getName().toString();
        Type declared = NameResolver.typeOf(vt.getType());
        int problemsBefore = scope.problems.size();
        Expr init = vt.getInitializer() == null ? null
            : lowerExpr(new TreePath(path, vt.getInitializer()), declared);
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
        if (t.dims() > 0 && !checkArrayLocal(path, v, init)) {
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
        TreePath valuePath = new TreePath(path, rt.getExpression());
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
        Expr cond = ft.getCondition() == null ? new Expr.Const(true, Type.BOOLEAN)
            : lowerExpr(new TreePath(path, ft.getCondition()), null);
        List<Stmt> update = new ArrayList<>();
        for (StatementTree st : ft.getUpdate()) {
          lowerStatement(new TreePath(path, st), update);
        }
        List<Stmt> body = lowerBranch(new TreePath(path, ft.getStatement()));
        scope.loopDepth--;
        scope.exitBlock();
        out.add(new Stmt.Loop(init, cond, update, body, true, src));
      }
      case ENHANCED_FOR_LOOP -> lowerEnhancedFor(path, (EnhancedForLoopTree) tree, src, out);
      case WHILE_LOOP -> {
        WhileLoopTree wt = (WhileLoopTree) tree;
        scope.loopDepth++;
        Expr cond = lowerExpr(new TreePath(path, wt.getCondition()), null);
        List<Stmt> body = lowerBranch(new TreePath(path, wt.getStatement()));
        scope.loopDepth--;
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, true, src));
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree dt = (DoWhileLoopTree) tree;
        scope.loopDepth++;
        List<Stmt> body = lowerBranch(new TreePath(path, dt.getStatement()));
        Expr cond = lowerExpr(new TreePath(path, dt.getCondition()), null);
        scope.loopDepth--;
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
      case SWITCH -> problem(path, Message.SWITCH_STATEMENT);
      case TRY -> problem(path, Message.TRY);
      case THROW -> problem(path, Message.THROW);
      case SYNCHRONIZED -> problem(path, Message.SYNCHRONIZED);
      case LABELED_STATEMENT -> problem(path, Message.LABELLED_STATEMENT);
      case CLASS, INTERFACE, ENUM, RECORD -> problem(path, Message.LOCAL_CLASS);
      default -> problem(path, Message.STATEMENT, describe(tree.getKind()));
    }
  }

  private void lowerExpressionStatement(TreePath path, Source src, List<Stmt> out) {
    Tree tree = path.getLeaf();
    switch (tree.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree at = (AssignmentTree) tree;
        if (at.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          Expr.Index target = storeTarget(new TreePath(path, at.getVariable()));
          Expr value = coerce(lowerExpr(new TreePath(path, at.getExpression())),
              target == null ? null : target.type());
          if (target != null) {
            out.add(new Stmt.Store(target, AssignOp.SET, value, src));
          }
          return;
        }
        Var target = assignTarget(new TreePath(path, at.getVariable()));
        if (target == null) {
          return;
        }
        Expr value = coerce(lowerExpr(new TreePath(path, at.getExpression())), target.type());
        out.add(new Stmt.Assign(target, AssignOp.SET, value, src));
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT, LEFT_SHIFT_ASSIGNMENT, RIGHT_SHIFT_ASSIGNMENT,
          UNSIGNED_RIGHT_SHIFT_ASSIGNMENT, AND_ASSIGNMENT, OR_ASSIGNMENT, XOR_ASSIGNMENT -> {
        CompoundAssignmentTree ct = (CompoundAssignmentTree) tree;
        AssignOp op = compoundOp(tree.getKind());
        if (ct.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          Expr.Index target = storeTarget(new TreePath(path, ct.getVariable()));
          Expr value = lowerExpr(new TreePath(path, ct.getExpression()));
          if (target != null) {
            out.add(new Stmt.Store(target, op, compoundValue(op, target.type(), value), src));
          }
          return;
        }
        Var target = assignTarget(new TreePath(path, ct.getVariable()));
        if (target == null) {
          return;
        }
        Expr value = lowerExpr(new TreePath(path, ct.getExpression()));
        out.add(new Stmt.Assign(target, op, compoundValue(op, target.type(), value), src));
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        UnaryTree ut = (UnaryTree) tree;
        boolean inc = tree.getKind() == Tree.Kind.PREFIX_INCREMENT
            || tree.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        AssignOp op = inc ? AssignOp.ADD : AssignOp.SUB;
        if (ut.getExpression().getKind() == Tree.Kind.ARRAY_ACCESS) {
          Expr.Index target = storeTarget(new TreePath(path, ut.getExpression()));
          if (target != null) {
            out.add(new Stmt.Store(target, op,
                Exprs.constant(1, Type.promote(target.type(), Type.INT)), src));
          }
          return;
        }
        Var target = assignTarget(new TreePath(path, ut.getExpression()));
        if (target == null) {
          return;
        }
        Type opType = Type.promote(target.type(), Type.INT);
        out.add(new Stmt.Assign(target, op, Exprs.constant(1, opType), src));
      }
      case METHOD_INVOCATION -> problem(path, Message.DISCARDED_CALL);
      default -> problem(path, Message.EXPRESSION_STATEMENT, describe(tree.getKind()));
    }
  }

  /** The value of {@code target op= value}, converted as Java does (JLS 15.26.2). */
  private static Expr compoundValue(AssignOp op, Type target, Expr value) {
    // Shifts promote each operand on its own; the others compute in the promoted type.
    if (op.binary.precedence == 10) {
      return value;
    }
    return coerce(value, Type.promote(target, value.type()));
  }

  /** Lowers the target of an element assignment; null (with a problem) when not allowed. */
  private Expr.Index storeTarget(TreePath path) {
    Expr target = lowerExpr(path);
    if (!(target instanceof Expr.Index index)) {
      return null;
    }
    if (!index.type().isNumeric()) {
      problem(path, Message.ARRAY_STORE);
      return null;
    }
    Var root = scope.rootOf(index);
    if (root != null && root.kind() == Var.Kind.PARAMETER) {
      problem(path, Message.PARAMETER_WRITE, root.sourceName(), root.sourceName());
      return null;
    }
    if (root == null) {
      problem(path, Message.ELEMENT_STORE);
      return null;
    }
    return index;
  }

  /**
   * Checks an array local: it must be a fresh array (allocated outside loops) or a row of
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
    if (init instanceof Expr.NewArray || init instanceof Expr.DiffCall
        || init instanceof Expr.CustomCall) {
      if (scope.loopDepth > 0) {
        problem(path, Message.ARRAY_ALLOCATED_IN_LOOP, v.sourceName());
        return false;
      }
      return true;
    }
    problem(path, Message.ARRAY_ALIAS, v.sourceName());
    return false;
  }

  private void lowerEnhancedFor(TreePath path, EnhancedForLoopTree ft, Source src,
      List<Stmt> out) {
    Expr array = lowerExpr(new TreePath(path, ft.getExpression()));
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

  private Var assignTarget(TreePath path) {
    Tree t = path.getLeaf();
    while (t instanceof ParenthesizedTree p) {
      t = p.getExpression();
    }
    Var v = t instanceof IdentifierTree id ? scope.lookup(id.getName().toString()) : null;
    if (v != null && v.type().dims() > 0) {
      problem(path, Message.ARRAY_REASSIGNED);
      return null;
    }
    if (v == null) {
      boolean field = t instanceof MemberSelectTree
          || t instanceof IdentifierTree id && scope.resolver.resolveField(id.getName().toString())
              != null;
      if (field) {
        problem(path, Message.FIELD_WRITE, t);
      } else {
        problem(path, Message.ASSIGNMENT_TARGET);
      }
      return null;
    }
    return v;
  }

  private static AssignOp compoundOp(Tree.Kind kind) {
    return switch (kind) {
      case PLUS_ASSIGNMENT -> AssignOp.ADD;
      case MINUS_ASSIGNMENT -> AssignOp.SUB;
      case MULTIPLY_ASSIGNMENT -> AssignOp.MUL;
      case DIVIDE_ASSIGNMENT -> AssignOp.DIV;
      case REMAINDER_ASSIGNMENT -> AssignOp.REM;
      case LEFT_SHIFT_ASSIGNMENT -> AssignOp.SHL;
      case RIGHT_SHIFT_ASSIGNMENT -> AssignOp.SHR;
      case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> AssignOp.USHR;
      case AND_ASSIGNMENT -> AssignOp.BIT_AND;
      case OR_ASSIGNMENT -> AssignOp.BIT_OR;
      default -> AssignOp.XOR;
    };
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
