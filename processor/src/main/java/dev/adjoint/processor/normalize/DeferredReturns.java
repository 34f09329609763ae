package dev.adjoint.processor.normalize;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns that cannot stay where they are written (inside a loop, or among the jumps of an
 * {@code if} that {@link JumpFlags sets flags}) are recorded instead: the result goes into
 * {@code result} and a flag {@code returned} is set; the return itself happens later, at the
 * top level, as {@code if (returned) return result;}. For an array result, the array itself is
 * returned there, and {@code returned} says which of several it is.
 */
final class DeferredReturns {
  private final Function function;
  private final NameAllocator names;
  /** Distinct arrays returned early, for array results: {@code returned} holds 1 + the index. */
  private final List<Expr> returnedArrays = new ArrayList<>();
  private Var returned;
  private Var result;

  DeferredReturns(Function function, NameAllocator names) {
    this.function = function;
    this.names = names;
  }

  /** True when some statement inside a loop of {@code body} returns. */
  static boolean inLoops(List<Stmt> body) {
    return Uses.containsReturn(loopBodies(body));
  }

  private static List<Stmt> loopBodies(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Loop l) {
        out.addAll(l.body());
      } else if (s instanceof Stmt.If i) {
        out.addAll(loopBodies(i.then()));
        out.addAll(loopBodies(i.otherwise()));
      }
    }
    return out;
  }

  /** Rewrites returns inside loops as flag, result and break. */
  List<Stmt> outOfLoops(List<Stmt> stmts, int depth) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Return r && depth > 0) {
        out.addAll(record(r));
        out.add(new Stmt.Break(Source.NONE));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), outOfLoops(i.then(), depth),
            outOfLoops(i.otherwise(), depth), i.source()));
      } else if (s instanceof Stmt.Loop l) {
        out.add(new Stmt.Loop(l.init(), l.condition(), l.update(),
            outOfLoops(l.body(), depth + 1), l.testFirst(), l.source()));
        if (Uses.containsReturn(l.body())) {
          if (depth > 0) {
            out.add(new Stmt.If(hasReturned(), List.of(new Stmt.Break(Source.NONE)), List.of(),
                Source.NONE));
          } else {
            out.addAll(returnRecorded());
          }
        }
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** The declarations of the flag and the result, if any return was recorded. */
  List<Stmt> declarations() {
    List<Stmt> declared = new ArrayList<>();
    if (returned != null) {
      declared.add(new Stmt.Declare(returned, returned.type() == Type.BOOLEAN
          ? new Expr.Const(false, Type.BOOLEAN) : new Expr.Const(0, Type.INT), Source.NONE));
      if (result != null) {
        declared.add(new Stmt.Declare(result, Exprs.constant(0, function.returnType()),
            Source.NONE));
      }
    }
    return declared;
  }

  /**
   * The flag that says a return has happened: a boolean, or for an array result returned as one
   * of several arrays, an int naming which ({@code 0} for none).
   */
  private Var returnedFlag() {
    if (returned == null) {
      boolean severalArrays = function.returnType().dims() > 0 && distinctReturnedArrays() > 1;
      returned = new Var(names.allocate("returned"), "returned",
          severalArrays ? Type.INT : Type.BOOLEAN, Var.Kind.LOCAL);
      if (function.returnType().dims() == 0) {
        result = new Var(names.allocate("result"), "result", function.returnType(),
            Var.Kind.LOCAL);
      }
    }
    return returned;
  }

  private long distinctReturnedArrays() {
    List<Expr> values = new ArrayList<>();
    collectReturns(function.body(), values);
    return values.stream().distinct().count();
  }

  /** Adds the values that {@code stmts} return, nested loops and branches included. */
  static void collectReturns(List<Stmt> stmts, List<Expr> out) {
    for (Stmt s : Stmt.all(stmts, false)) {
      if (s instanceof Stmt.Return r) {
        out.add(r.value());
      }
    }
  }

  /**
   * Records {@code r} in the flags instead of returning. An array result is not copied: the
   * array is returned by the check after the jump, and nothing runs in between. The front end
   * allows only arrays declared outside loops there, so they are still in scope.
   */
  List<Stmt> record(Stmt.Return r) {
    Var flag = returnedFlag();
    List<Stmt> out = new ArrayList<>();
    if (result != null) {
      out.add(new Stmt.Assign(result, AssignOp.SET, r.value(), r.source()));
      out.add(new Stmt.Assign(flag, AssignOp.SET, new Expr.Const(true, Type.BOOLEAN),
          Source.NONE));
    } else if (flag.type() == Type.BOOLEAN) {
      out.add(new Stmt.Assign(flag, AssignOp.SET, new Expr.Const(true, Type.BOOLEAN),
          r.source()));
      if (returnedArrays.isEmpty()) {
        returnedArrays.add(r.value());
      }
    } else {
      int k = returnedArrays.indexOf(r.value());
      if (k < 0) {
        returnedArrays.add(r.value());
        k = returnedArrays.size() - 1;
      }
      out.add(new Stmt.Assign(flag, AssignOp.SET, new Expr.Const(k + 1, Type.INT),
          r.source()));
    }
    return out;
  }

  /** True once some recorded return has happened. */
  private Expr hasReturned() {
    Var flag = returnedFlag();
    return flag.type() == Type.BOOLEAN ? new Expr.Read(flag)
        : new Expr.Binary(BinaryOp.NE, new Expr.Read(flag), new Expr.Const(0, Type.INT),
            Type.BOOLEAN);
  }

  /** Returns what a recorded return recorded: {@code if (returned) return result;}. */
  List<Stmt> returnRecorded() {
    Var flag = returnedFlag();
    if (result != null) {
      return List.of(new Stmt.If(new Expr.Read(flag),
          List.of(new Stmt.Return(new Expr.Read(result), Source.NONE)), List.of(), Source.NONE));
    }
    if (flag.type() == Type.BOOLEAN) {
      return List.of(new Stmt.If(new Expr.Read(flag),
          List.of(new Stmt.Return(returnedArrays.get(0), Source.NONE)), List.of(), Source.NONE));
    }
    List<Stmt> out = new ArrayList<>();
    for (int k = 0; k < returnedArrays.size(); k++) {
      out.add(new Stmt.If(new Expr.Binary(BinaryOp.EQ, new Expr.Read(flag),
          new Expr.Const(k + 1, Type.INT), Type.BOOLEAN),
          List.of(new Stmt.Return(returnedArrays.get(k), Source.NONE)), List.of(), Source.NONE));
    }
    return out;
  }
}
