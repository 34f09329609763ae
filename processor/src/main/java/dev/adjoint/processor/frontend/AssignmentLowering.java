package dev.adjoint.processor.frontend;

import static dev.adjoint.processor.frontend.LoweringScope.coerce;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.Set;

/**
 * Lowers assignments, compound assignments, {@code ++} and {@code --}, as statements and inside
 * expressions. The assignment itself becomes a statement of its own, added to the declarations
 * and effects waiting to go before the current statement ({@link LoweringScope#pending}); inside
 * an expression, its value is then read back: {@code y = x[i++] * 2} becomes {@code i += 1;
 * y = x[i - 1] * 2}. Java's left-to-right order is kept by {@link LoweringScope#stable}, which
 * saves an operand read before a later operand's assignment changes it.
 */
final class AssignmentLowering {
  private final LoweringScope scope;
  private final ExpressionLowering expressions;

  AssignmentLowering(LoweringScope scope, ExpressionLowering expressions) {
    this.scope = scope;
    this.expressions = expressions;
  }

  /** True for the tree kinds this class lowers. */
  static boolean handles(Tree.Kind kind) {
    return switch (kind) {
      case ASSIGNMENT, PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT, LEFT_SHIFT_ASSIGNMENT, RIGHT_SHIFT_ASSIGNMENT,
          UNSIGNED_RIGHT_SHIFT_ASSIGNMENT, AND_ASSIGNMENT, OR_ASSIGNMENT, XOR_ASSIGNMENT,
          PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> true;
      default -> false;
    };
  }

  /**
   * Lowers the assignment at {@code path} into {@link LoweringScope#pending}.
   *
   * @param src the source the assignment statement is commented with
   * @param valueUsed whether the expression's value is used; when false, null is returned
   * @return the assignment expression's value, read after the assignment
   */
  Expr lower(TreePath path, Source src, boolean valueUsed) {
    Tree tree = path.getLeaf();
    return switch (tree.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree at = (AssignmentTree) tree;
        yield assign(new TreePath(path, at.getVariable()), new TreePath(path, at.getExpression()),
            AssignOp.SET, src, valueUsed);
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT ->
          increment(path, src, valueUsed);
      default -> {
        CompoundAssignmentTree ct = (CompoundAssignmentTree) tree;
        yield assign(new TreePath(path, ct.getVariable()), new TreePath(path, ct.getExpression()),
            compoundOp(tree.getKind()), src, valueUsed);
      }
    };
  }

  private Expr assign(TreePath targetPath, TreePath valuePath, AssignOp op, Source src,
      boolean valueUsed) {
    if (targetPath.getLeaf().getKind() == Tree.Kind.ARRAY_ACCESS) {
      Expr.Index target = storeTarget(targetPath);
      int mark = scope.pending.size();
      Expr value = expressions.lowerExpr(valuePath);
      if (target == null) {
        return valueUsed ? new Expr.Const(0.0, value.type()) : null;
      }
      Set<Var> written = scope.writtenSince(mark);
      target = scope.stableTarget(target, mark);
      if (op == AssignOp.SET) {
        scope.pending.add(new Stmt.Store(target, op, coerce(value, target.type()), src));
      } else if (written.contains(Uses.storeBase(new Stmt.Store(target, op, value, src)))) {
        // The value's own assignments may change this element: Java read it before them.
        Expr old = scope.saveAt(mark, target, "old");
        scope.pending.add(new Stmt.Store(target, AssignOp.SET,
            compound(op, old, value, target.type()), src));
      } else {
        scope.pending.add(new Stmt.Store(target, op, compoundValue(op, target.type(), value),
            src));
      }
      return valueUsed ? target : null;
    }
    Var target = assignTarget(targetPath);
    int mark = scope.pending.size();
    int problems = scope.problems.size();
    Expr value = expressions.lowerExpr(valuePath);
    if (target == null) {
      return valueUsed ? new Expr.Const(0.0, value.type()) : null;
    }
    if (target.type().dims() > 0) {
      // Java allows only = on arrays: the new array must be fresh or a whole other array (a
      // value already reported, such as null, is the one culprit).
      if (scope.problems.size() == problems && scope.checkArrayValue(valuePath, target, value)) {
        scope.pending.add(new Stmt.Assign(target, op, value, src));
      }
    } else if (op == AssignOp.SET) {
      scope.pending.add(new Stmt.Assign(target, op, coerce(value, target.type()), src));
    } else if (scope.writtenSince(mark).contains(target)) {
      // x += (x = 3): Java reads x before the right-hand side assigns it.
      Expr old = scope.saveAt(mark, new Expr.Read(target), target.sourceName() + "Old");
      scope.pending.add(new Stmt.Assign(target, AssignOp.SET,
          compound(op, old, value, target.type()), src));
    } else {
      scope.pending.add(new Stmt.Assign(target, op, compoundValue(op, target.type(), value),
          src));
    }
    return valueUsed ? new Expr.Read(target) : null;
  }

  private Expr increment(TreePath path, Source src, boolean valueUsed) {
    Tree.Kind kind = path.getLeaf().getKind();
    boolean inc = kind == Tree.Kind.PREFIX_INCREMENT || kind == Tree.Kind.POSTFIX_INCREMENT;
    boolean postfix = kind == Tree.Kind.POSTFIX_INCREMENT || kind == Tree.Kind.POSTFIX_DECREMENT;
    AssignOp op = inc ? AssignOp.ADD : AssignOp.SUB;
    TreePath operand = new TreePath(path, ((UnaryTree) path.getLeaf()).getExpression());
    Expr target;
    if (operand.getLeaf().getKind() == Tree.Kind.ARRAY_ACCESS) {
      target = storeTarget(operand);
    } else {
      Var v = assignTarget(operand);
      target = v == null ? null : new Expr.Read(v);
    }
    if (target == null) {
      return valueUsed ? new Expr.Const(0, Type.INT) : null;
    }
    Type type = target.type();
    Expr one = Exprs.constant(1, Type.promote(type, Type.INT));
    Expr old = null;
    if (valueUsed && postfix && !type.equals(Type.INT) && !type.equals(Type.LONG)) {
      // Only in int and long arithmetic does x - 1 undo x++ exactly.
      old = scope.saveAt(scope.pending.size(), target,
          target instanceof Expr.Read r ? r.var().sourceName() + "Old" : "old");
    }
    if (target instanceof Expr.Index index) {
      scope.pending.add(new Stmt.Store(index, op, one, src));
    } else {
      scope.pending.add(new Stmt.Assign(((Expr.Read) target).var(), op, one, src));
    }
    if (!valueUsed) {
      return null;
    }
    if (!postfix) {
      return target;
    }
    if (old != null) {
      return old;
    }
    return new Expr.Binary(inc ? BinaryOp.SUB : BinaryOp.ADD, target,
        Exprs.constant(1, type), type);
  }

  /** {@code left op value} converted back to {@code target}, as a compound assignment does. */
  private static Expr compound(AssignOp op, Expr left, Expr value, Type target) {
    if (op.binary.precedence == 10) {
      Type type = Type.promote(target, Type.INT);
      return coerce(new Expr.Binary(op.binary, coerce(left, type),
          coerce(value, Type.promote(value.type(), Type.INT)), type), target);
    }
    if (target.equals(Type.BOOLEAN)) {
      return new Expr.Binary(op.binary, left, value, Type.BOOLEAN);
    }
    Type type = Type.promote(target, value.type());
    return coerce(new Expr.Binary(op.binary, coerce(left, type), coerce(value, type), type),
        target);
  }

  /** The value of {@code target op= value}, converted as Java does (JLS 15.26.2). */
  static Expr compoundValue(AssignOp op, Type target, Expr value) {
    // Shifts promote each operand on its own; the others compute in the promoted type.
    if (op.binary.precedence == 10) {
      return value;
    }
    return coerce(value, Type.promote(target, value.type()));
  }

  /** Lowers the target of an element assignment; null (with a problem) when not allowed. */
  Expr.Index storeTarget(TreePath path) {
    Expr target = expressions.lowerExpr(path);
    if (!(target instanceof Expr.Index index)) {
      return null;
    }
    if (!index.type().isNumeric()) {
      scope.problem(path, index.type().equals(Type.BOOLEAN) ? Message.BOOLEAN_ELEMENT_STORE
          : Message.ARRAY_STORE);
      return null;
    }
    Var root = scope.rootOf(index);
    if (root != null && scope.leafText.containsKey(root)) {
      scope.problem(path, Message.RECORD_COMPONENT_WRITE, scope.leafText.get(root));
      return null;
    }
    if (root != null && root.kind() == Var.Kind.PARAMETER
        && !(scope.outInPlace && root.sourceName().equals(scope.outParameter))) {
      // Parameter arrays written in place are copies by now (see ParameterCopies), when the
      // writes name them or a row alias of them; but not a void helper's out-parameter when it
      // is lowered for inlining (written in place).
      String n = root.sourceName();
      scope.problem(path, Message.PARAMETER_WRITE, n, n, n, n);
      return null;
    }
    if (root == null) {
      scope.problem(path, Message.ELEMENT_STORE);
      return null;
    }
    return index;
  }

  /** The variable an assignment writes; null (with a problem) when it may not be assigned. */
  Var assignTarget(TreePath path) {
    Tree t = path.getLeaf();
    while (t instanceof ParenthesizedTree p) {
      t = p.getExpression();
    }
    Var v = t instanceof IdentifierTree id ? scope.lookup(id.getName().toString()) : null;
    if (v != null && v.type().dims() > 0 && scope.aliasExprs.containsKey(v)) {
      // A row alias stands for its row (see LoweringScope#aliasExprs): it has no variable.
      scope.problem(path, Message.ARRAY_REASSIGNED, v.sourceName());
      return null;
    }
    if (v != null && v.type().dims() > 1) {
      for (var e : scope.aliasRoots.entrySet()) {
        // The row alias reads v[rowIndex] wherever it is used: after v is given another
        // array, it would read the new array's row instead of the one it was given.
        if (e.getValue() == v && scope.lookup(e.getKey().sourceName()) == e.getKey()) {
          scope.problem(path, Message.ROWS_REASSIGNED, v.sourceName(),
              e.getKey().sourceName(), v.sourceName());
          return null;
        }
      }
    }
    if (v == null) {
      boolean field = t instanceof MemberSelectTree
          || t instanceof IdentifierTree id && scope.resolver.resolveField(id.getName().toString())
              != null;
      if (field) {
        scope.problem(path, Message.FIELD_WRITE, t);
      } else {
        scope.problem(path, Message.ASSIGNMENT_TARGET);
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
}
