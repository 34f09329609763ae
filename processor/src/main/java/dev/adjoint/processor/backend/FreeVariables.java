package dev.adjoint.processor.backend;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables a block of generated code refers to without declaring them, following Java's
 * scopes: a variable declared in a block is visible in the rest of that block only, one declared
 * in a loop header in that loop only. Once a method is split, these are what a part must receive
 * from elsewhere.
 */
final class FreeVariables {
  /** How many enclosing declarations of each variable are in scope. */
  private final Map<Var, Integer> inScope = new HashMap<>();
  private final Set<Var> free = new LinkedHashSet<>();

  private FreeVariables() {}

  /** The variables {@code stmts} refer to outside the scope of their own declarations. */
  static Set<Var> of(List<Stmt> stmts) {
    FreeVariables f = new FreeVariables();
    f.block(stmts);
    return f.free;
  }

  private void block(List<Stmt> stmts) {
    List<Var> declared = new ArrayList<>();
    for (Stmt s : stmts) {
      statement(s, declared);
    }
    declared.forEach(v -> inScope.merge(v, -1, Integer::sum));
  }

  private void statement(Stmt s, List<Var> declared) {
    if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        use(d.init());
      }
      declared.add(d.var());
      inScope.merge(d.var(), 1, Integer::sum);
    } else if (s instanceof Stmt.Assign a) {
      use(a.target());
      use(a.value());
    } else if (s instanceof Stmt.Store st) {
      use(st.target());
      use(st.value());
    } else if (s instanceof Stmt.Eval e) {
      use(e.expr());
    } else if (s instanceof Stmt.Return r) {
      use(r.value());
    } else if (s instanceof Stmt.CallPart c) {
      c.args().forEach(this::use);
    } else if (s instanceof Stmt.If i) {
      use(i.condition());
      block(i.then());
      block(i.otherwise());
    } else if (s instanceof Stmt.Loop l) {
      // The header's variables are visible in the condition, body and update only.
      List<Var> header = new ArrayList<>();
      l.init().forEach(x -> statement(x, header));
      use(l.condition());
      block(l.body());
      l.update().forEach(x -> statement(x, header));
      header.forEach(v -> inScope.merge(v, -1, Integer::sum));
    }
  }

  private void use(Var v) {
    if (inScope.getOrDefault(v, 0) <= 0) {
      free.add(v);
    }
  }

  /** Uses every variable {@code e} refers to, including arrays whose length it reads. */
  private void use(Expr e) {
    if (e instanceof Expr.Read r) {
      use(r.var());
    }
    if (e.receiver() != null) {
      use(e.receiver());
    }
    e.operands().forEach(this::use);
  }
}
