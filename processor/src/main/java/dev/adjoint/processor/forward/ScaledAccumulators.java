package dev.adjoint.processor.forward;

import static dev.adjoint.processor.ir.Exprs.constant;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves a common factor out of a tangent that only sums: the derivative of a sum of squares
 * adds {@code 2.0 * tE * e} each iteration, which a person writes {@code tLoss += tE * e} and
 * doubles once where the sum is read ({@code 2.0 * tLoss}). A tangent qualifies when it starts
 * at zero, every other write adds or subtracts products whose coefficients share a power of two,
 * and every read lies in fewer loops than every update (so the multiplication moves out of a
 * loop). Scaling by a power of two is exact: each partial sum is exactly the old one halved, so
 * the values are bit for bit the same (barring overflow and subnormals).
 */
final class ScaledAccumulators {
  private ScaledAccumulators() {}

  /** What is known of one candidate tangent. */
  private static final class Candidate {
    boolean rejected;
    double factor = 0; // the power of two common to all updates so far (0: none seen)
    int updateDepth = Integer.MAX_VALUE;
    int readDepth = -1;
  }

  /** {@code body} with the qualifying tangents of {@code tangents} scaled. */
  static List<Stmt> apply(List<Stmt> body, Set<Var> tangents) {
    Map<Var, Candidate> candidates = new HashMap<>();
    for (Var t : tangents) {
      if (t.type().dims() == 0 && t.type().isFloating() && t.kind() == Var.Kind.LOCAL) {
        candidates.put(t, new Candidate());
      }
    }
    scan(body, 0, candidates);
    Map<Var, Double> scaled = new HashMap<>();
    candidates.forEach((v, c) -> {
      if (!c.rejected && c.factor > 1 && c.readDepth < c.updateDepth) {
        scaled.put(v, c.factor);
      }
    });
    return scaled.isEmpty() ? body : rewrite(body, scaled);
  }

  private static void scan(List<Stmt> stmts, int depth, Map<Var, Candidate> candidates) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d && candidates.containsKey(d.var())) {
        if (d.init() == null || !Exprs.isConst(d.init(), 0)) {
          candidates.get(d.var()).rejected = true;
        }
        reads(d.init(), depth, candidates);
        continue;
      }
      if (s instanceof Stmt.Assign a && candidates.containsKey(a.target())) {
        Candidate c = candidates.get(a.target());
        if (a.op() != AssignOp.ADD && a.op() != AssignOp.SUB) {
          c.rejected = true;
        } else {
          double p = TangentSums.commonPowerOfTwo(a.value());
          c.factor = c.factor == 0 ? p : Math.min(c.factor, p);
          c.updateDepth = Math.min(c.updateDepth, depth);
        }
        reads(a.value(), depth, candidates);
        continue;
      }
      if (s instanceof Stmt.If i) {
        reads(i.condition(), depth, candidates);
        scan(i.then(), depth, candidates);
        scan(i.otherwise(), depth, candidates);
      } else if (s instanceof Stmt.Loop l) {
        scan(l.init(), depth, candidates);
        reads(l.condition(), depth + 1, candidates);
        scan(l.body(), depth + 1, candidates);
        scan(l.update(), depth + 1, candidates);
      } else {
        for (Expr e : s.expressions()) {
          reads(e, depth, candidates);
        }
      }
    }
  }

  private static void reads(Expr e, int depth, Map<Var, Candidate> candidates) {
    if (e == null) {
      return;
    }
    for (Var v : dev.adjoint.processor.analysis.Uses.all(e)) {
      Candidate c = candidates.get(v);
      if (c != null) {
        c.readDepth = Math.max(c.readDepth, depth);
      }
    }
  }

  private static List<Stmt> rewrite(List<Stmt> stmts, Map<Var, Double> scaled) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      out.add(rewrite(s, scaled));
    }
    return out;
  }

  private static Stmt rewrite(Stmt s, Map<Var, Double> scaled) {
    if (s instanceof Stmt.Declare d) {
      return d.init() == null ? d : new Stmt.Declare(d.var(), reads(d.init(), scaled), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      Double p = scaled.get(a.target());
      Expr value = reads(a.value(), scaled);
      if (p != null) {
        value = TangentSums.divide(value, p);
      }
      return new Stmt.Assign(a.target(), a.op(), value, a.source());
    }
    if (s instanceof Stmt.Store st) {
      return new Stmt.Store((Expr.Index) reads(st.target(), scaled), st.op(),
          reads(st.value(), scaled), st.source());
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(reads(r.value(), scaled), r.source());
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(reads(e.expr(), scaled));
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(reads(i.condition(), scaled), rewrite(i.then(), scaled),
          rewrite(i.otherwise(), scaled), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(rewrite(l.init(), scaled), reads(l.condition(), scaled),
          rewrite(l.update(), scaled), rewrite(l.body(), scaled), l.testFirst(), l.source());
    }
    if (s instanceof Stmt.CallPart c) {
      throw new IllegalStateException("forward mode: unexpected statement " + c);
    }
    return s;
  }

  /** {@code e} reading {@code p * t} for each scaled tangent {@code t}. */
  private static Expr reads(Expr e, Map<Var, Double> scaled) {
    if (e instanceof Expr.Read r) {
      Double p = scaled.get(r.var());
      return p == null ? e : Exprs.mul(constant(p, r.var().type()), e);
    }
    if (e.operands().isEmpty()) {
      return e;
    }
    return Exprs.mapOperands(e, x -> reads(x, scaled));
  }
}
