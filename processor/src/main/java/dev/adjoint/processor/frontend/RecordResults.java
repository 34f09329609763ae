package dev.adjoint.processor.frontend;

import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.RecordResult;
import dev.adjoint.processor.ir.RecordShape;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Functions that return a record. The gradient takes a {@code seed} of the record's type (a
 * record parameter without derivative, see {@link RecordFlattening}); the IR returns
 * {@code <seed, result>}, the sum over the floating leaves of seed times leaf, whose gradient is
 * the vector-Jacobian product. The returned leaves are kept in variables, from which the back
 * end builds the record the generated method returns (copying the arrays the reverse sweep
 * writes, see {@code backend.RecordSnapshots}).
 */
final class RecordResults {
  private final LoweringScope scope;
  private final ExpressionLowering expressions;

  RecordResults(LoweringScope scope, ExpressionLowering expressions) {
    this.scope = scope;
    this.expressions = expressions;
  }

  /** The type of {@code <seed, result>}: double unless every floating leaf is a float. */
  static Type dotType(RecordShape shape) {
    boolean anyDouble = shape.leaves().stream()
        .anyMatch(l -> l.type().elementType().equals(Type.DOUBLE));
    return anyDouble ? Type.DOUBLE : Type.FLOAT;
  }

  /** Lowers {@code return value;} of a method returning a record into {@code out}. */
  void lowerReturn(TreePath valuePath, Source src, List<Stmt> out) {
    if (scope.nesting > 0 || scope.loopDepth > 0) {
      scope.problem(valuePath, Message.RECORD_RETURN_PLACE);
      return;
    }
    RecordValue value = expressions.records.valueOf(valuePath);
    if (value == null) {
      if (scope.problems.isEmpty()) {
        scope.problem(valuePath, Message.RECORD_RETURN_VALUE, valuePath.getLeaf());
      }
      return;
    }
    out.addAll(scope.takePending());
    RecordShape shape = scope.recordResultShape;
    List<RecordShape.Leaf> leaves = shape.leaves();
    List<Expr> values = expressions.records.reads(value);
    List<Var> kept = new ArrayList<>();
    Type dot = scope.returnType;
    Var sum = fresh("dot", dot);
    out.add(new Stmt.Declare(sum, zero(dot), src));
    for (int i = 0; i < leaves.size(); i++) {
      RecordShape.Leaf leaf = leaves.get(i);
      Type t = leaf.type();
      String name = "result" + String.join("", leaf.path().stream()
          .map(dev.adjoint.processor.naming.GradNames::capitalize).toList());
      Var k = fresh(name, t);
      kept.add(k);
      Expr seed = new Expr.Read(scope.recordSeedLeaves.get(i));
      if (t.dims() == 0) {
        out.add(new Stmt.Declare(k, values.get(i), src));
        if (t.isFloating()) {
          out.add(new Stmt.Assign(sum, AssignOp.ADD, LoweringScope.coerce(new Expr.Binary(
              BinaryOp.MUL, seed, new Expr.Read(k), t), dot), src));
        }
        continue;
      }
      Expr source = values.get(i);
      Var array;
      if (source instanceof Expr.Read r) {
        // Returned as it is: the back end copies it where the reverse sweep writes it.
        array = r.var();
        kept.set(kept.size() - 1, array);
      } else {
        // A row (w[k], so one-dimensional): copied into an array of its own.
        array = k;
        out.add(new Stmt.Declare(k, new Expr.NewArray(t, List.of(new Expr.Length(source)),
            null), src));
        out.add(ElementCopy.loop(fresh("i", Type.INT), k, source, new Expr.Length(source),
            src));
      }
      if (t.isFloatingArray()) {
        out.add(dotLoop(sum, seed, new Expr.Read(array), t, dot, src));
      }
    }
    scope.recordResult = new RecordResult(shape, List.copyOf(kept));
    out.add(new Stmt.Return(new Expr.Read(sum), src));
  }

  /** {@code for (j...) sum += seed[j] * x[j]}, nested once more for matrices. */
  private Stmt dotLoop(Var sum, Expr seed, Expr x, Type t, Type dot, Source src) {
    Var j = fresh("i", Type.INT);
    Expr seedRow = new Expr.Index(seed, new Expr.Read(j), t.component());
    Expr xRow = new Expr.Index(x, new Expr.Read(j), t.component());
    Stmt body = t.dims() == 1
        ? new Stmt.Assign(sum, AssignOp.ADD, LoweringScope.coerce(new Expr.Binary(
            BinaryOp.MUL, seedRow, xRow, t.component()), dot), src)
        : dotLoop(sum, seedRow, xRow, t.component(), dot, src);
    return new Stmt.Loop(List.of(new Stmt.Declare(j, new Expr.Const(0, Type.INT), src)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(j), new Expr.Length(x), Type.BOOLEAN),
        List.of(new Stmt.Assign(j, AssignOp.ADD, new Expr.Const(1, Type.INT), src)),
        List.of(body), true, src);
  }

  private Var fresh(String base, Type t) {
    Var v = new Var(scope.uniqueName(scope.names.allocate(base)), base, t, Var.Kind.LOCAL);
    scope.declaredNames.add(v.name());
    return v;
  }

  private static Expr zero(Type t) {
    return t.equals(Type.FLOAT) ? new Expr.Const(0.0f, Type.FLOAT)
        : new Expr.Const(0.0, Type.DOUBLE);
  }
}
