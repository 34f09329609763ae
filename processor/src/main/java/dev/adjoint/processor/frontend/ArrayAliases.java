package dev.adjoint.processor.frontend;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which array variables may share their array with another at each element store. A whole-array
 * alias ({@code float[] h = x}, {@code h = next}) makes two names for one array; a new array
 * ({@code h = new float[n]}, a call's result, a declaration run again by a loop) ends the
 * sharing for the variable it is given to. The generated code reasons about arrays by name: it
 * treats an alias as a value, whose adjoint flows into the array it came from, and it keeps the
 * array itself (not a copy) for the reverse sweep. That is right while no element of a shared
 * array is assigned, which this analysis checks: {@code double[] next = new double[n]; fill
 * next; h = next;} and {@code float[] g = h; h = new float[n]; fill h from g} pass, {@code
 * float[] h = x; h[0] = 1} does not.
 */
final class ArrayAliases {
  /** For each array variable, the variables that may refer to the same array (symmetric). */
  private Map<Var, Set<Var>> shared = new HashMap<>();
  /** The variables whose elements are assigned while another name shares their array. */
  private final Set<Var> written = new HashSet<>();

  private ArrayAliases() {}

  /** The arrays of {@code body} that have an element assigned while another name shares them. */
  static Set<Var> writtenWhileShared(List<Stmt> body) {
    ArrayAliases a = new ArrayAliases();
    a.block(body);
    return a.written;
  }

  private void block(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      statement(s);
    }
  }

  private void statement(Stmt s) {
    if (s instanceof Stmt.Declare d && d.var().type().dims() > 0) {
      give(d.var(), d.init());
    } else if (s instanceof Stmt.Assign a && a.target().type().dims() > 0) {
      give(a.target(), a.value());
    } else if (s instanceof Stmt.Store st) {
      Var base = Uses.storeBase(st);
      Set<Var> others = shared.get(base);
      if (others != null && !others.isEmpty()) {
        written.add(base);
      }
    } else if (s instanceof Stmt.If i) {
      Map<Var, Set<Var>> before = copy(shared);
      block(i.then());
      Map<Var, Set<Var>> afterThen = shared;
      shared = before;
      block(i.otherwise());
      join(afterThen);
    } else if (s instanceof Stmt.Loop l) {
      block(l.init());
      // Until nothing changes: sharing made late in one iteration reaches the next one's start.
      for (int pass = 0; pass < 8; pass++) {
        Map<Var, Set<Var>> start = copy(shared);
        block(l.body());
        block(l.update());
        join(start);
        if (shared.equals(start)) {
          break;
        }
      }
    }
  }

  /** {@code v} is given {@code value}: a new array, or another variable's array. */
  private void give(Var v, Expr value) {
    unshare(v);
    Var source = source(value);
    if (source == null || source == v) {
      return;
    }
    Set<Var> group = new HashSet<>(shared.getOrDefault(source, Set.of()));
    group.add(source);
    group.remove(v);
    for (Var g : group) {
      shared.computeIfAbsent(g, k -> new HashSet<>()).add(v);
    }
    shared.put(v, group);
  }

  private void unshare(Var v) {
    Set<Var> old = shared.remove(v);
    if (old != null) {
      for (Var g : old) {
        Set<Var> s = shared.get(g);
        if (s != null) {
          s.remove(v);
        }
      }
    }
  }

  /** The variable whose array {@code value} is (or a row of whose), or null for a new array. */
  private static Var source(Expr value) {
    Expr e = value;
    while (e instanceof Expr.Index i) {
      e = i.array();
    }
    return e instanceof Expr.Read r ? r.var() : null;
  }

  /** Merges {@code other} into the current state: a pair shared on either path is shared. */
  private void join(Map<Var, Set<Var>> other) {
    for (Map.Entry<Var, Set<Var>> e : other.entrySet()) {
      shared.computeIfAbsent(e.getKey(), k -> new HashSet<>()).addAll(e.getValue());
    }
  }

  private static Map<Var, Set<Var>> copy(Map<Var, Set<Var>> m) {
    Map<Var, Set<Var>> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, new HashSet<>(v)));
    return out;
  }
}
