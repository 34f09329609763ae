package dev.adjoint.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreeScanner;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parameter arrays that a method writes in place ({@code x[i] = ...}, {@code x[i] += ...},
 * {@code x[i]++}). The generated gradient never modifies the caller's arrays, so it works on a
 * copy of each such array, made on entry: {@code double[] xCopy = new double[x.length]} and a
 * counted loop that copies the elements. The body then reads and writes the copy; the reverse of
 * the copy loop adds the copy's adjoint into the parameter's, so the partials are with respect to
 * the values the array held on entry. Arrays the method only reads are not copied.
 */
final class ParameterCopies {
  private ParameterCopies() {}

  /** The names among {@code candidates} whose elements {@code body} assigns. */
  static Set<String> written(Tree body, Set<String> candidates) {
    Set<String> out = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        target(node.getVariable());
        return super.visitAssignment(node, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
        target(node.getVariable());
        return super.visitCompoundAssignment(node, unused);
      }

      @Override
      public Void visitUnary(UnaryTree node, Void unused) {
        switch (node.getKind()) {
          case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT ->
              target(node.getExpression());
          default -> { }
        }
        return super.visitUnary(node, unused);
      }

      private void target(ExpressionTree t) {
        while (t instanceof ParenthesizedTree p) {
          t = p.getExpression();
        }
        if (!(t instanceof ArrayAccessTree a)) {
          return;
        }
        ExpressionTree array = a.getExpression();
        while (array instanceof ParenthesizedTree p) {
          array = p.getExpression();
        }
        if (array instanceof IdentifierTree id && candidates.contains(id.getName().toString())) {
          out.add(id.getName().toString());
        }
      }
    }.scan(body, null);
    return out;
  }

  /**
   * {@code double[] copy = new double[param.length]; for (int i = 0; i < param.length; i++)
   * copy[i] = param[i];}, with {@code source} for the comments of the reverse sweep.
   */
  static List<Stmt> copy(Var param, Var copy, Var index, Source source) {
    Expr length = new Expr.Length(new Expr.Read(param));
    Stmt declare = new Stmt.Declare(copy,
        new Expr.NewArray(param.type(), List.of(length), null), source);
    Stmt loop = ElementCopy.loop(index, copy, new Expr.Read(param), length, source);
    return List.of(declare, loop);
  }
}
