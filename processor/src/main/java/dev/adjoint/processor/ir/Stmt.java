package dev.adjoint.processor.ir;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Statements of the IR; the same forms describe user code and generated code. Each lists the
 * {@link #expressions()} it evaluates itself, so that walkers reach every expression of a new
 * kind of statement (see {@link Exprs#ownExpressions}).
 */
public sealed interface Stmt {
  /**
   * The expressions this statement evaluates itself (an element store's whole target), not those
   * of the blocks nested in it.
   */
  List<Expr> expressions();

  /**
   * {@code s} with {@code f} applied to the blocks nested in it: an if's branches, a loop's body
   * (not its init and update); other statements as they are.
   */
  static Stmt withBlocks(Stmt s, UnaryOperator<List<Stmt>> f) {
    if (s instanceof If i) {
      return new If(i.condition(), f.apply(i.then()), f.apply(i.otherwise()), i.source());
    }
    if (s instanceof Loop l) {
      return new Loop(l.init(), l.condition(), l.update(), f.apply(l.body()), l.testFirst(),
          l.source());
    }
    return s;
  }

  /**
   * The blocks nested in {@code s}: an if's branches, a loop's body, and with {@code headers} a
   * loop's init and update too (in the order they run: init, body, update).
   */
  static List<List<Stmt>> blocks(Stmt s, boolean headers) {
    if (s instanceof If i) {
      return List.of(i.then(), i.otherwise());
    }
    if (s instanceof Loop l) {
      return headers ? List.of(l.init(), l.body(), l.update()) : List.of(l.body());
    }
    return List.of();
  }

  /**
   * Every statement of {@code stmts} and of the blocks nested in them, each before those nested
   * in it: the one walk over nested blocks ({@link #blocks}, with loop headers when
   * {@code headers}) that analyses filter, instead of each writing its own recursion.
   */
  static List<Stmt> all(List<Stmt> stmts, boolean headers) {
    List<Stmt> out = new java.util.ArrayList<>();
    addAll(stmts, headers, out);
    return out;
  }

  private static void addAll(List<Stmt> stmts, boolean headers, List<Stmt> out) {
    for (Stmt s : stmts) {
      out.add(s);
      for (List<Stmt> b : blocks(s, headers)) {
        addAll(b, headers, out);
      }
    }
  }

  /** True when {@code p} holds for a statement of {@code stmts} or of their nested blocks. */
  static boolean any(List<Stmt> stmts, boolean headers, java.util.function.Predicate<Stmt> p) {
    for (Stmt s : stmts) {
      if (p.test(s)) {
        return true;
      }
      for (List<Stmt> b : blocks(s, headers)) {
        if (any(b, headers, p)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True for a print of the user's code (an {@link Eval} of an {@link Expr.Print}). */
  static boolean isPrint(Stmt s) {
    return s instanceof Eval e && e.expr() instanceof Expr.Print;
  }

  /** True when one of {@code stmts}, or of the blocks nested in them, prints. */
  static boolean prints(List<Stmt> stmts) {
    return any(stmts, true, Stmt::isPrint);
  }

  /** {@code stmts} without their prints, nested blocks (and loop headers) included. */
  static List<Stmt> withoutPrints(List<Stmt> stmts) {
    return stmts.stream().filter(s -> !isPrint(s))
        .map(s -> s instanceof Loop l ? new Loop(withoutPrints(l.init()), l.condition(),
            withoutPrints(l.update()), withoutPrints(l.body()), l.testFirst(), l.source())
            : withBlocks(s, Stmt::withoutPrints)).toList();
  }

  /** A local variable declaration; {@code init} may be null for a blank declaration. */
  record Declare(Var var, Expr init, Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return init == null ? List.of() : List.of(init);
    }
  }

  /** {@code target op= value}. */
  record Assign(Var target, AssignOp op, Expr value, Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of(value);
    }
  }

  /** {@code if (condition) then else otherwise}; {@code otherwise} is empty when absent. */
  record If(Expr condition, List<Stmt> then, List<Stmt> otherwise, Source source)
      implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of(condition);
    }
  }

  /** {@code return value}. */
  record Return(Expr value, Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of(value);
    }
  }

  /** {@code array[index] op= value}; {@code target} is an {@link Expr.Index}. */
  record Store(Expr.Index target, AssignOp op, Expr value, Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of(target, value);
    }
  }

  /**
   * A loop. {@code for (init; condition; update) body} covers every form: a {@code while} has
   * empty init and update, a {@code do}/{@code while} sets {@code testFirst} false.
   *
   * @param init statements run once before the loop (declarations of the loop variables)
   * @param condition the loop condition (constant true for an infinite loop)
   * @param update statements run after each iteration, also after {@code continue}
   * @param body the loop body
   * @param testFirst false for {@code do}/{@code while}
   */
  record Loop(List<Stmt> init, Expr condition, List<Stmt> update, List<Stmt> body,
      boolean testFirst, Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of(condition);
    }
  }

  /** {@code break} out of the innermost loop. */
  record Break(Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of();
    }
  }

  /** {@code continue} with the next iteration of the innermost loop. */
  record Continue(Source source) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of();
    }
  }

  /**
   * A statement-level call whose result is discarded: in the user's code a print
   * ({@link Expr.Print}) or, until inlined, a void helper writing its out-argument in place; else
   * in generated code only.
   */
  record Eval(Expr expr) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of(expr);
    }
  }

  /**
   * A call of a part of a generated method too large for one JVM method, in generated code only:
   * {@code receiver.method(args)}, or {@code method(args)} from another part when
   * {@code receiver} is null.
   */
  record CallPart(Var receiver, String method, List<Expr> args) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return args;
    }
  }

  /** A line comment in generated code. */
  record Comment(String text) implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of();
    }
  }

  /** An empty line in generated code, separating the sweeps. */
  record Blank() implements Stmt {
    @Override
    public List<Expr> expressions() {
      return List.of();
    }
  }
}
