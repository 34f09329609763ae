package dev.adjoint.processor.backend;

import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A conservative estimate of the constant pool of a generated class, which the JVM limits to
 * 65,535 entries: a split method's parts share thousands of fields, each needing three (its
 * reference, name-and-type and name).
 */
final class ConstantPoolSize {
  /** The class's own names, attribute names, {@code this}, the constructor, .... */
  private static final int FIXED = 100;

  private final Set<Object> seen = new HashSet<>();
  private final Set<String> variables = new HashSet<>();
  private int entries = FIXED;

  /** Counts a field: its reference, name-and-type, name and type descriptor. */
  void field(String name, TypeName type) {
    add(List.of("field", name), 3);
    add(type, 1);
  }

  /** Counts a method: how it is called, and what its code refers to. */
  void method(String name, List<Stmt> body) {
    add(List.of("method", name), 4); // reference, name-and-type, name, descriptor
    body.forEach(this::stmt);
  }

  /** The estimated number of entries. */
  int entries() {
    return entries;
  }

  private void add(Object key, int cost) {
    if (seen.add(key)) {
      entries += cost;
    }
  }

  /** A local variable's name and descriptor in the local variable table ({@code javac -g}). */
  private void variable(Var v) {
    if (variables.add(v.name())) {
      entries++;
      add(v.type(), 1);
    }
  }

  private void stmt(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      variable(d.var());
    } else if (s instanceof Stmt.Assign a) {
      variable(a.target());
    } else if (s instanceof Stmt.CallPart c) {
      add(List.of("method", c.method()), 4);
    }
    s.expressions().forEach(this::expr);
    if (s instanceof Stmt.If i) {
      i.then().forEach(this::stmt);
      i.otherwise().forEach(this::stmt);
    } else if (s instanceof Stmt.Loop l) {
      l.init().forEach(this::stmt);
      l.body().forEach(this::stmt);
      l.update().forEach(this::stmt);
    }
  }

  /** A member of another class: reference, name-and-type, name, descriptor, class, its name. */
  private void member(String kind, String owner, String name, List<Expr> args) {
    StringBuilder descriptor = new StringBuilder();
    for (Expr a : args) {
      descriptor.append(a.type()).append(',');
    }
    add(List.of(kind, owner, name, descriptor.toString()), 4);
    add(List.of("class", owner), 2);
  }

  /** What {@code e} and its operands refer to (the count does not depend on the order). */
  private void expr(Expr e) {
    if (e.receiver() != null) {
      variable(e.receiver());
    }
    if (e instanceof Expr.Const c) {
      // A long or double takes two entries; booleans and small integers take none.
      add(List.of("constant", c.type(), c.value()),
          c.type().equals(Type.DOUBLE) || c.type().equals(Type.LONG) ? 2 : 1);
    } else if (e instanceof Expr.Read r) {
      variable(r.var());
    } else if (e instanceof Expr.StaticField f) {
      member("static", f.owner(), f.name(), List.of());
    } else if (e instanceof Expr.LibraryCall c) {
      member("call", c.owner(), c.name(), c.args());
    } else if (e instanceof Expr.DiffCall c) {
      member("call", c.callee().ownerName(), c.callee().method(), c.args());
    } else if (e instanceof Expr.GradCall c) {
      member("call", c.callee().gradClass(), c.callee().method(), c.args());
      add(List.of("class", c.type().toString()), 2);
    } else if (e instanceof Expr.AccumulatingCall c) {
      member("call", c.callee().gradClass(), c.callee().method(), c.args());
    } else if (e instanceof Expr.NewAccumulator n) {
      add(List.of("class", n.type().toString()), 2);
      member("call", n.type().toString(), "<init>", n.buffers());
    } else if (e instanceof Expr.CustomCall c) {
      member("call", c.pullback().targetOwner(), c.pullback().targetMethod(), c.args());
    } else if (e instanceof Expr.PullbackCall c) {
      member("call", c.pullback().pullbackOwner(), c.pullback().pullbackMethod(), c.args());
    } else if (e instanceof Expr.Component c) {
      member("component", c.record().type().toString(), c.name(), List.of());
    } else if (e instanceof Expr.RuntimeCall c) {
      member("call", c.receiver() != null ? c.receiver().type().toString() : c.owner(),
          c.name(), c.args());
    } else if (e instanceof Expr.Field f) {
      member("field", f.receiver().type().toString(), f.name(), List.of());
    } else if (e instanceof Expr.NewArray n) {
      add(List.of("class", n.type().toString()), 2);
    } else if (e instanceof Expr.Print p) {
      member("static", "System", p.stream(), List.of());
      member("call", "java.io.PrintStream", p.method() + p.args().size(), p.args());
    } else if (e instanceof Expr.NewRecord n) {
      add(List.of("class", n.type().toString()), 2);
      member("call", n.type().toString(), "<init>", n.args());
    }
    // Operators, conditionals, indexing and lengths refer to nothing themselves.
    e.operands().forEach(this::expr);
  }
}
