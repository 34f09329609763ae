package dev.adjoint.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    Map<String, String> rows = new HashMap<>();
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

      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        // a row alias, double[] row = w[i]: writing row[j] writes w
        String base = node.getInitializer() instanceof ArrayAccessTree a ? base(a) : null;
        if (base != null) {
          rows.put(node.getName().toString(), base);
        }
        return super.visitVariable(node, unused);
      }

      @Override
      public Void visitEnhancedForLoop(EnhancedForLoopTree node, Void unused) {
        // for (double[] row : w)
        ExpressionTree e = unparenthesized(node.getExpression());
        if (e instanceof IdentifierTree id && candidates.contains(id.getName().toString())) {
          rows.put(node.getVariable().getName().toString(), id.getName().toString());
        }
        return super.visitEnhancedForLoop(node, unused);
      }

      private void target(ExpressionTree t) {
        t = unparenthesized(t);
        if (!(t instanceof ArrayAccessTree a)) {
          return;
        }
        String base = base(a);
        if (base != null) {
          out.add(base);
        }
      }

      /** The candidate (or the candidate a row alias stands for) an element access reads. */
      private String base(ArrayAccessTree a) {
        ExpressionTree array = unparenthesized(a.getExpression());
        while (array instanceof ArrayAccessTree inner) {
          array = unparenthesized(inner.getExpression());
        }
        if (!(array instanceof IdentifierTree id)) {
          return null;
        }
        String name = id.getName().toString();
        return candidates.contains(name) ? name : rows.get(name);
      }
    }.scan(body, null);
    return out;
  }

  private static ExpressionTree unparenthesized(ExpressionTree t) {
    while (t instanceof ParenthesizedTree p) {
      t = p.getExpression();
    }
    return t;
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

  /**
   * The copy of a 2-D parameter: {@code double[][] copy = new double[w.length][w.length == 0 ? 0
   * : w[0].length]} and two loops copying the elements. The copy is rectangular (arrays are
   * allocated once, outside loops): the inner loop runs to the longer of the two rows, so that a
   * ragged {@code w} throws {@code ArrayIndexOutOfBoundsException} instead of being cut.
   */
  static List<Stmt> copy2(Var param, Var copy, Var i, Var j, Source source) {
    Expr rows = new Expr.Length(new Expr.Read(param));
    Type row = param.type().component();
    Expr first = new Expr.Index(new Expr.Read(param), new Expr.Const(0, Type.INT), row);
    Expr width = new Expr.Conditional(
        new Expr.Binary(BinaryOp.EQ, rows, new Expr.Const(0, Type.INT), Type.BOOLEAN),
        new Expr.Const(0, Type.INT), new Expr.Length(first), Type.INT);
    Stmt declare = new Stmt.Declare(copy,
        new Expr.NewArray(param.type(), List.of(rows, width), null), source);
    Expr paramRow = new Expr.Index(new Expr.Read(param), new Expr.Read(i), row);
    Expr copyRow = new Expr.Index(new Expr.Read(copy), new Expr.Read(i), row);
    Type element = row.component();
    Stmt inner = new Stmt.Loop(List.of(new Stmt.Declare(j, new Expr.Const(0, Type.INT), source)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(j), new Expr.LibraryCall("Math", "max",
            List.of(new Expr.Length(paramRow), new Expr.Length(copyRow)), Type.INT),
            Type.BOOLEAN),
        List.of(new Stmt.Assign(j, AssignOp.ADD, new Expr.Const(1, Type.INT), source)),
        List.of(new Stmt.Store(new Expr.Index(copyRow, new Expr.Read(j), element), AssignOp.SET,
            new Expr.Index(paramRow, new Expr.Read(j), element), source)),
        true, source);
    Stmt outer = new Stmt.Loop(List.of(new Stmt.Declare(i, new Expr.Const(0, Type.INT), source)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(i), rows, Type.BOOLEAN),
        List.of(new Stmt.Assign(i, AssignOp.ADD, new Expr.Const(1, Type.INT), source)),
        List.of(inner), true, source);
    return List.of(declare, outer);
  }
}
