package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
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
 * Puts every jump in tail position, so that each path through a block is a straight sequence the
 * reverse sweep can walk back.
 *
 * <ul>
 *   <li>A {@code return} inside a loop becomes an assignment of the result, a flag, and a
 *       {@code break}; after the loop, {@code if (returned) return result;}.
 *   <li>When one branch of an {@code if} ends in a jump ({@code return}, {@code break},
 *       {@code continue}), the statements after the {@code if} move into the other branch.
 * </ul>
 *
 * <p>Afterwards a function body ends in a {@code return} or in an {@code if} whose branches both
 * do, no other statement outside loops returns, and a loop body's jumps all end branches.
 */
public final class ReturnNormalization {
  private ReturnNormalization() {}

  /** Normalises the body of {@code f}. */
  public static Function normalize(Function f) {
    List<Stmt> body = f.body();
    if (Uses.containsReturn(loopBodies(body))) {
      if (f.returnType().dims() > 0) {
        throw new IllegalStateException(
            "return inside a loop of a function returning an array is not supported yet");
      }
      NameAllocator names = new NameAllocator();
      f.params().forEach(p -> names.reserve(p.var().name()));
      Uses.assigned(body).forEach(v -> names.reserve(v.name()));
      Var returned = new Var(names.allocate("returned"), "returned", Type.BOOLEAN,
          Var.Kind.LOCAL);
      Var result = new Var(names.allocate("result"), "result", f.returnType(), Var.Kind.LOCAL);
      List<Stmt> rewritten = new ArrayList<>();
      rewritten.add(new Stmt.Declare(returned, new Expr.Const(false, Type.BOOLEAN), Source.NONE));
      rewritten.add(new Stmt.Declare(result, Exprs.constant(0, f.returnType()), Source.NONE));
      rewritten.addAll(new LoopReturns(returned, result).rewrite(body, 0));
      body = rewritten;
    }
    return new Function(f.name(), f.params(), f.returnType(), tails(body), f.source());
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
  private record LoopReturns(Var returned, Var result) {
    List<Stmt> rewrite(List<Stmt> stmts, int depth) {
      List<Stmt> out = new ArrayList<>();
      for (Stmt s : stmts) {
        if (s instanceof Stmt.Return r && depth > 0) {
          out.add(new Stmt.Assign(result, AssignOp.SET, r.value(), r.source()));
          out.add(new Stmt.Assign(returned, AssignOp.SET, new Expr.Const(true, Type.BOOLEAN),
              Source.NONE));
          out.add(new Stmt.Break(Source.NONE));
        } else if (s instanceof Stmt.If i) {
          out.add(new Stmt.If(i.condition(), rewrite(i.then(), depth),
              rewrite(i.otherwise(), depth), i.source()));
        } else if (s instanceof Stmt.Loop l) {
          out.add(new Stmt.Loop(l.init(), l.condition(), l.update(),
              rewrite(l.body(), depth + 1), l.testFirst(), l.source()));
          if (Uses.containsReturn(l.body())) {
            Stmt leave = depth > 0 ? new Stmt.Break(Source.NONE)
                : new Stmt.Return(new Expr.Read(result), Source.NONE);
            out.add(new Stmt.If(new Expr.Read(returned), List.of(leave), List.of(),
                Source.NONE));
          }
        } else {
          out.add(s);
        }
      }
      return out;
    }
  }

  /** Moves the statements after a jumping branch into the other branch, recursively. */
  static List<Stmt> tails(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < stmts.size(); i++) {
      Stmt s = stmts.get(i);
      if (isJump(s)) {
        out.add(s);
        return out; // anything after it is unreachable; javac has rejected such code already
      }
      if (s instanceof Stmt.Loop l) {
        List<Stmt> body = tails(l.body());
        if (!l.update().isEmpty() && Uses.jumps(body, false)) {
          // A break skips the update: run the update at the end of each path that goes on
          // (continue included), so that the reverse sweep sees exactly what ran.
          out.add(new Stmt.Loop(l.init(), l.condition(), List.of(),
              appendToContinuingPaths(body, l.update()), l.testFirst(), l.source()));
        } else {
          out.add(new Stmt.Loop(l.init(), l.condition(), l.update(), body, l.testFirst(),
              l.source()));
        }
        continue;
      }
      if (s instanceof Stmt.If f) {
        if (containsJump(f.then()) || containsJump(f.otherwise())) {
          // Some path through the if jumps: every path that does not must run the rest of the
          // block, so the rest moves into each branch that does not always jump (the jump may
          // be nested, as in if (a) { ... } else if (b) { return ...; }).
          List<Stmt> rest = stmts.subList(i + 1, stmts.size());
          out.add(new Stmt.If(f.condition(), withRest(f.then(), rest),
              withRest(f.otherwise(), rest), f.source()));
          return out;
        }
        out.add(new Stmt.If(f.condition(), tails(f.then()), tails(f.otherwise()), f.source()));
        continue;
      }
      out.add(s);
    }
    return out;
  }

  private static List<Stmt> withRest(List<Stmt> branch, List<Stmt> rest) {
    List<Stmt> normal = tails(branch);
    return endsInJump(normal) ? normal : tails(concat(branch, rest));
  }

  /** True when a jump occurs in {@code block} outside nested loops. */
  static boolean containsJump(List<Stmt> block) {
    for (Stmt s : block) {
      if (isJump(s)
          || s instanceof Stmt.If f && (containsJump(f.then()) || containsJump(f.otherwise()))) {
        return true;
      }
    }
    return false;
  }

  private static List<Stmt> appendToContinuingPaths(List<Stmt> block, List<Stmt> update) {
    List<Stmt> out = new ArrayList<>(block);
    Stmt last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last instanceof Stmt.Break) {
      return out;
    }
    if (last instanceof Stmt.Continue) {
      out.remove(out.size() - 1);
      out.addAll(update);
      return out;
    }
    // The jump may be nested: if (a) { if (b) break; ... } else { ... }.
    if (last instanceof Stmt.If f && (containsJump(f.then()) || containsJump(f.otherwise()))) {
      out.set(out.size() - 1, new Stmt.If(f.condition(),
          appendToContinuingPaths(f.then(), update),
          appendToContinuingPaths(f.otherwise(), update), f.source()));
      return out;
    }
    out.addAll(update);
    return out;
  }

  private static boolean isJump(Stmt s) {
    return s instanceof Stmt.Return || s instanceof Stmt.Break || s instanceof Stmt.Continue;
  }

  /** True when every path through {@code block} ends in a jump. */
  static boolean endsInJump(List<Stmt> block) {
    if (block.isEmpty()) {
      return false;
    }
    Stmt last = block.get(block.size() - 1);
    return isJump(last)
        || last instanceof Stmt.If f && endsInJump(f.then()) && endsInJump(f.otherwise());
  }

  /** True when every path through {@code block} ends in a return. */
  public static boolean endsInReturn(List<Stmt> block) {
    if (block.isEmpty()) {
      return false;
    }
    Stmt last = block.get(block.size() - 1);
    return last instanceof Stmt.Return
        || last instanceof Stmt.If f && endsInReturn(f.then()) && endsInReturn(f.otherwise());
  }

  private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
    List<Stmt> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
