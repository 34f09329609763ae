package dev.adjoint.processor.backend;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.RecordResult;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The arrays of a returned record as they are when the forward sweep ends: where the reverse
 * sweep writes such an array (restoring overwritten elements), a copy taken right after the
 * forward sweep is returned instead.
 */
final class RecordSnapshots {
  private RecordSnapshots() {}

  /** The body with the copies, and the record result reading them. */
  record Result(List<Stmt> body, RecordResult returned) {}

  static Result apply(List<Stmt> body, Var value, RecordResult returned) {
    int end = -1;
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i) instanceof Stmt.Declare d && d.var() == value) {
        end = i;
      }
    }
    if (end < 0) {
      throw new IllegalStateException("the forward sweep's end was not found");
    }
    Set<Var> written = Uses.assigned(body.subList(end + 1, body.size()));
    NameAllocator names = new NameAllocator();
    Uses.assigned(body).forEach(v -> names.reserve(v.name()));
    returned.leaves().forEach(v -> names.reserve(v.name()));
    List<Stmt> copies = new ArrayList<>();
    List<Var> leaves = new ArrayList<>();
    for (Var v : returned.leaves()) {
      if (v.type().dims() == 0 || !written.contains(v)) {
        leaves.add(v);
        continue;
      }
      Var copy = new Var(names.allocate(v.name() + "Value"), v.sourceName() + "Value",
          v.type(), Var.Kind.GENERATED);
      copies.add(new Stmt.Declare(copy, new Expr.RuntimeCall(v, null, "clone", List.of(),
          v.type()), Source.NONE));
      if (v.type().dims() == 2) {
        // clone() copies the outer array only: copy each row too.
        Var i = new Var(names.allocate("i"), "i", Type.INT, Var.Kind.GENERATED);
        Expr row = new Expr.Index(new Expr.Read(copy), new Expr.Read(i), v.type().component());
        copies.add(new Stmt.Loop(
            List.of(new Stmt.Declare(i, new Expr.Const(0, Type.INT), Source.NONE)),
            new Expr.Binary(BinaryOp.LT, new Expr.Read(i), new Expr.Length(new Expr.Read(copy)),
                Type.BOOLEAN),
            List.of(new Stmt.Assign(i, AssignOp.ADD, new Expr.Const(1, Type.INT), Source.NONE)),
            List.of(new Stmt.Store((Expr.Index) row, AssignOp.SET, new Expr.LibraryCall(
                "java.util.Arrays", "copyOf", List.of(row, new Expr.Length(row)),
                v.type().component()), Source.NONE)),
            true, Source.NONE));
      }
      leaves.add(copy);
    }
    if (copies.isEmpty()) {
      return new Result(body, returned);
    }
    List<Stmt> out = new ArrayList<>(body.subList(0, end + 1));
    out.addAll(copies);
    out.addAll(body.subList(end + 1, body.size()));
    return new Result(out, new RecordResult(returned.shape(), List.copyOf(leaves)));
  }
}
