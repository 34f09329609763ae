package dev.adjoint.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;

/**
 * A {@code while} loop that counts with {@code ++} or {@code --} in its condition:
 * {@code while (n-- > 0)}, {@code while (--n >= k)}, {@code while (i++ < n)}. Lowered as a
 * counted loop over a fresh index (see {@code StatementLowering.lowerCountingWhile}), so that
 * it costs what the {@code for} loop costs: no tape for its trip count.
 *
 * @param counter the int variable stepped in the condition
 * @param step +1 for {@code ++}, -1 for {@code --}
 * @param postfix whether the condition compares the value before the step
 * @param op the comparison, with the counter on the left when {@code counterLeft}
 * @param boundPath the other operand, which neither assigns nor reads the counter
 * @param readAfter whether the counter may be read after the loop (then it is updated)
 */
record CountingWhile(Var counter, int step, boolean postfix, BinaryOp op, boolean counterLeft,
    TreePath boundPath, boolean readAfter) {

  /** The counting form of {@code loop}, or null when it is not one. */
  static CountingWhile of(TreePath path, WhileLoopTree loop, LoweringScope scope) {
    ExpressionTree cond = strip(loop.getCondition());
    if (!(cond instanceof BinaryTree b)) {
      return null;
    }
    BinaryOp op = switch (b.getKind()) {
      case LESS_THAN -> BinaryOp.LT;
      case LESS_THAN_EQUAL -> BinaryOp.LE;
      case GREATER_THAN -> BinaryOp.GT;
      case GREATER_THAN_EQUAL -> BinaryOp.GE;
      case NOT_EQUAL_TO -> BinaryOp.NE;
      default -> null;
    };
    if (op == null) {
      return null;
    }
    boolean left = isStep(strip(b.getLeftOperand()));
    if (left == isStep(strip(b.getRightOperand()))) {
      return null;
    }
    UnaryTree u = (UnaryTree) strip(left ? b.getLeftOperand() : b.getRightOperand());
    ExpressionTree bound = left ? b.getRightOperand() : b.getLeftOperand();
    if (!(strip(u.getExpression()) instanceof IdentifierTree id)) {
      return null;
    }
    String name = id.getName().toString();
    Var counter = scope.lookup(name);
    if (counter == null || !counter.type().equals(Type.INT) || scope.aliasExprs.containsKey(counter)
        || mentions(bound, name, false) || mentions(loop.getStatement(), name, true)
        || breaks(loop.getStatement())) {
      return null;
    }
    boolean inc = u.getKind() == Tree.Kind.PREFIX_INCREMENT
        || u.getKind() == Tree.Kind.POSTFIX_INCREMENT;
    boolean postfix = u.getKind() == Tree.Kind.POSTFIX_INCREMENT
        || u.getKind() == Tree.Kind.POSTFIX_DECREMENT;
    TreePath boundPath = new TreePath(new TreePath(path, loop.getCondition()), bound);
    return new CountingWhile(counter, inc ? 1 : -1, postfix, op, left, boundPath,
        readAfter(path, name, scope));
  }

  private static ExpressionTree strip(ExpressionTree e) {
    while (e instanceof ParenthesizedTree p) {
      e = p.getExpression();
    }
    return e;
  }

  private static boolean isStep(ExpressionTree e) {
    return switch (e.getKind()) {
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> true;
      default -> false;
    };
  }

  /**
   * True when {@code tree} reads {@code name} ({@code readsToo}) or assigns it, or has any
   * assignment or call that could (a bound must be a plain value).
   */
  private static boolean mentions(Tree tree, String name, boolean body) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        if (!body && node.getName().contentEquals(name)) {
          found[0] = true;
        }
        return null;
      }

      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        check(node.getVariable());
        return super.visitAssignment(node, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
        check(node.getVariable());
        return super.visitCompoundAssignment(node, unused);
      }

      @Override
      public Void visitUnary(UnaryTree node, Void unused) {
        if (isStep(node)) {
          check(node.getExpression());
        }
        return super.visitUnary(node, unused);
      }

      private void check(ExpressionTree target) {
        // In the bound, any assignment disqualifies; in the body, one of the counter.
        if (!body || strip(target) instanceof IdentifierTree t && t.getName().contentEquals(name)) {
          found[0] = true;
        }
      }
    }.scan(tree, null);
    return found[0];
  }

  /**
   * True when a {@code break} in {@code tree} may leave the loop: one not inside a nested switch
   * or loop (whose own breaks leave them), or any labelled one.
   */
  private static boolean breaks(Tree tree) {
    boolean[] found = {false};
    new TreeScanner<Void, Boolean>() {
      @Override
      public Void visitBreak(BreakTree node, Boolean nested) {
        found[0] |= !nested || node.getLabel() != null;
        return null;
      }

      @Override
      public Void scan(Tree t, Boolean nested) {
        boolean inner = t != null && switch (t.getKind()) {
          case SWITCH, SWITCH_EXPRESSION, WHILE_LOOP, DO_WHILE_LOOP, FOR_LOOP,
              ENHANCED_FOR_LOOP -> true;
          default -> false;
        };
        return super.scan(t, nested || inner);
      }
    }.scan(tree, false);
    return found[0];
  }

  /**
   * True when {@code name} may be read after the loop: the loop is inside another loop, or the
   * name occurs after the loop's end in the method.
   */
  private static boolean readAfter(TreePath loop, String name, LoweringScope scope) {
    for (TreePath p = loop.getParentPath(); p != null; p = p.getParentPath()) {
      switch (p.getLeaf().getKind()) {
        case WHILE_LOOP, DO_WHILE_LOOP, FOR_LOOP, ENHANCED_FOR_LOOP -> {
          return true;
        }
        case METHOD -> {
          SourcePositions positions = scope.sourceText.positions();
          long end = positions.getEndPosition(loop.getCompilationUnit(), loop.getLeaf());
          boolean[] found = {false};
          new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
              if (node.getName().contentEquals(name)
                  && positions.getStartPosition(loop.getCompilationUnit(), node) > end) {
                found[0] = true;
              }
              return null;
            }
          }.scan(p.getLeaf(), null);
          return found[0];
        }
        default -> { }
      }
    }
    return true;
  }
}
