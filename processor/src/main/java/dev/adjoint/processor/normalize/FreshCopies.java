package dev.adjoint.processor.normalize;

import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Fresh instances of statements, for a second place in the body: the analyses and the transform
 * keep per-statement facts (what is saved, and where) by identity, so one instance on two paths
 * would share one save slot between them.
 */
final class FreshCopies {
  private FreshCopies() {}

  static List<Stmt> of(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>(stmts.size());
    for (Stmt s : stmts) {
      out.add(of(s));
    }
    return out;
  }

  private static Stmt of(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), d.init(), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), a.value(), a.source());
    }
    if (s instanceof Stmt.Store st) {
      return new Stmt.Store(st.target(), st.op(), st.value(), st.source());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), of(i.then()), of(i.otherwise()), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(of(l.init()), l.condition(), of(l.update()), of(l.body()),
          l.testFirst(), l.source());
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(r.value(), r.source());
    }
    if (s instanceof Stmt.Break b) {
      return new Stmt.Break(b.source());
    }
    if (s instanceof Stmt.Continue c) {
      return new Stmt.Continue(c.source());
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(e.expr());
    }
    return s; // comments and blank lines carry no facts
  }
}
