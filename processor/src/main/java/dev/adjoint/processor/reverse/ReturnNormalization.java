package dev.adjoint.processor.reverse;

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
 * Puts every jump in tail position, so that each path through a block is a straight sequence the
 * reverse sweep can walk back.
 *
 * <ul>
 *   <li>A {@code return} inside a loop becomes an assignment of the result (for an array result,
 *       of which array is returned), a flag, and a {@code break}; after the loop,
 *       {@code if (returned) return result;}.
 *   <li>When one branch of an {@code if} ends in a jump ({@code return}, {@code break},
 *       {@code continue}), the statements after the {@code if} move into the other branch.
 *   <li>When both branches of an {@code if} have paths that go on past it, and the statements
 *       after it are more than a few, they are not copied into every such path (a sequence of
 *       such ifs would double the code each time): the jumps inside the {@code if} set flags
 *       instead, and the jumps happen just after it, {@code if (returned) return result;}.
 * </ul>
 *
 * <p>Afterwards a function body ends in a {@code return} or in an {@code if} whose branches both
 * do, no other statement outside loops returns, and a loop body's jumps all end branches.
 */
public final class ReturnNormalization {
  /** At most this many statements after an if are copied into its branches rather than flagged. */
  private static final int COPY_LIMIT = 3;

  private final Function function;
  private final NameAllocator names = new NameAllocator();
  /** Distinct arrays returned early, for array results: {@code returned} holds 1 + the index. */
  private final List<Expr> returnedArrays = new ArrayList<>();
  private Var returned;
  private Var result;

  private ReturnNormalization(Function function) {
    this.function = function;
    function.params().forEach(p -> names.reserve(p.var().name()));
    Uses.assigned(function.body()).forEach(v -> names.reserve(v.name()));
  }

  /** Normalises the body of {@code f}. */
  public static Function normalize(Function f) {
    ReturnNormalization n = new ReturnNormalization(f);
    List<Stmt> body = f.body();
    if (Uses.containsReturn(loopBodies(body))) {
      body = n.loopReturns(body, 0);
    }
    body = n.tails(body);
    if (n.returned != null) {
      List<Stmt> declared = new ArrayList<>();
      declared.add(new Stmt.Declare(n.returned, n.returned.type() == Type.BOOLEAN
          ? new Expr.Const(false, Type.BOOLEAN) : new Expr.Const(0, Type.INT), Source.NONE));
      if (n.result != null) {
        declared.add(new Stmt.Declare(n.result, Exprs.constant(0, f.returnType()), Source.NONE));
      }
      declared.addAll(body);
      body = declared;
    }
    return new Function(f.name(), f.params(), f.returnType(), body, f.source());
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

  // ------------------------------------------------------------ returns recorded in flags

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

  private static void collectReturns(List<Stmt> stmts, List<Expr> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Return r) {
        out.add(r.value());
      } else if (s instanceof Stmt.If i) {
        collectReturns(i.then(), out);
        collectReturns(i.otherwise(), out);
      } else if (s instanceof Stmt.Loop l) {
        collectReturns(l.body(), out);
      }
    }
  }

  /**
   * Records {@code r} in the flags instead of returning. An array result is not copied: the
   * array is returned by the check after the jump, and nothing runs in between. The front end
   * allows only arrays declared outside loops there, so they are still in scope.
   */
  private List<Stmt> recordReturn(Stmt.Return r) {
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
  private List<Stmt> returnRecorded() {
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

  /** Rewrites returns inside loops as flag, result and break. */
  private List<Stmt> loopReturns(List<Stmt> stmts, int depth) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Return r && depth > 0) {
        out.addAll(recordReturn(r));
        out.add(new Stmt.Break(Source.NONE));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), loopReturns(i.then(), depth),
            loopReturns(i.otherwise(), depth), i.source()));
      } else if (s instanceof Stmt.Loop l) {
        out.add(new Stmt.Loop(l.init(), l.condition(), l.update(),
            loopReturns(l.body(), depth + 1), l.testFirst(), l.source()));
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

  /** Moves the statements after a jumping branch into the other branch, recursively. */
  private List<Stmt> tails(List<Stmt> stmts) {
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
          List<Stmt> then = tails(f.then());
          List<Stmt> otherwise = tails(f.otherwise());
          if (copiesOfRest(then) + copiesOfRest(otherwise) > 1 && !cheapToCopy(rest)
              && canFlag(f)) {
            jumpAfter(f, then, otherwise, rest, out);
            return out;
          }
          out.add(new Stmt.If(f.condition(), withRest(then, f.then(), rest),
              withRest(otherwise, f.otherwise(), rest), f.source()));
          return out;
        }
        out.add(new Stmt.If(f.condition(), tails(f.then()), tails(f.otherwise()), f.source()));
        continue;
      }
      out.add(s);
    }
    return out;
  }

  private List<Stmt> withRest(List<Stmt> normal, List<Stmt> branch, List<Stmt> rest) {
    return endsInJump(normal) ? normal : tails(concat(branch, copy(rest)));
  }

  /**
   * Fresh instances of {@code stmts}, for a second place in the body: the analyses and the
   * transform keep per-statement facts (what is saved, and where) by identity, so one instance
   * on two paths would share one save slot between them.
   */
  static List<Stmt> copy(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>(stmts.size());
    for (Stmt s : stmts) {
      out.add(copy(s));
    }
    return out;
  }

  private static Stmt copy(Stmt s) {
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
      return new Stmt.If(i.condition(), copy(i.then()), copy(i.otherwise()), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(copy(l.init()), l.condition(), copy(l.update()), copy(l.body()),
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

  /**
   * Lets the jumps of {@code f} set flags, and jumps after it: the rest of the block then follows
   * once instead of once per path that goes on. {@code then} and {@code otherwise} are its
   * normalised branches, whose jumps all end paths, so nothing in {@code f} runs after a flag is
   * set.
   */
  private void jumpAfter(Stmt.If f, List<Stmt> then, List<Stmt> otherwise, List<Stmt> rest,
      List<Stmt> out) {
    Flags flags = new Flags();
    Stmt.If flagged = new Stmt.If(f.condition(), flags.replaceJumps(then),
        flags.replaceJumps(otherwise), f.source());
    flags.declare(out);
    out.add(flagged);
    List<Stmt> after = new ArrayList<>();
    if (flags.returns) {
      after.addAll(returnRecorded());
    }
    if (flags.breaking != null) {
      after.add(new Stmt.If(new Expr.Read(flags.breaking), List.of(new Stmt.Break(Source.NONE)),
          List.of(), Source.NONE));
    }
    if (flags.continuing != null) {
      after.add(new Stmt.If(new Expr.Read(flags.continuing),
          List.of(new Stmt.Continue(Source.NONE)), List.of(), Source.NONE));
    }
    after.addAll(rest);
    out.addAll(tails(after));
  }

  /** The flags of one if's jumps: a return, a break, a continue. */
  private final class Flags {
    boolean returns;
    Var breaking;
    Var continuing;

    List<Stmt> replaceJumps(List<Stmt> block) {
      List<Stmt> out = new ArrayList<>();
      for (Stmt s : block) {
        if (s instanceof Stmt.Return r) {
          returns = true;
          out.addAll(recordReturn(r));
        } else if (s instanceof Stmt.Break) {
          breaking = breaking != null ? breaking : flag("breaking");
          out.add(set(breaking));
        } else if (s instanceof Stmt.Continue) {
          continuing = continuing != null ? continuing : flag("continuing");
          out.add(set(continuing));
        } else if (s instanceof Stmt.If i) {
          out.add(new Stmt.If(i.condition(), replaceJumps(i.then()), replaceJumps(i.otherwise()),
              i.source()));
        } else {
          out.add(s); // a loop's own jumps stay: they leave that loop, not the block
        }
      }
      return out;
    }

    /** Declares the break and continue flags (fresh per if, so a loop body resets them). */
    void declare(List<Stmt> out) {
      for (Var v : new Var[] {breaking, continuing}) {
        if (v != null) {
          out.add(new Stmt.Declare(v, new Expr.Const(false, Type.BOOLEAN), Source.NONE));
        }
      }
    }

    private Var flag(String name) {
      return new Var(names.allocate(name), name, Type.BOOLEAN, Var.Kind.LOCAL);
    }

    private Stmt set(Var v) {
      return new Stmt.Assign(v, AssignOp.SET, new Expr.Const(true, Type.BOOLEAN), Source.NONE);
    }
  }

  /** How many paths through a normalised branch go on past it (each would get a copy). */
  private static int copiesOfRest(List<Stmt> block) {
    if (block.isEmpty()) {
      return 1;
    }
    Stmt last = block.get(block.size() - 1);
    if (isJump(last)) {
      return 0;
    }
    if (last instanceof Stmt.If f && (containsJump(f.then()) || containsJump(f.otherwise()))) {
      return copiesOfRest(f.then()) + copiesOfRest(f.otherwise());
    }
    return 1;
  }

  /** Few statements: copying them into each path stays small, however they jump. */
  private static boolean cheapToCopy(List<Stmt> rest) {
    return size(rest) <= COPY_LIMIT;
  }

  private static int size(List<Stmt> stmts) {
    int n = 0;
    for (Stmt s : stmts) {
      n++;
      if (s instanceof Stmt.If f) {
        n += size(f.then()) + size(f.otherwise());
      } else if (s instanceof Stmt.Loop l) {
        n += size(l.init()) + size(l.update()) + size(l.body());
      }
    }
    return n;
  }

  /**
   * True when the jumps of {@code f} can set flags: it declares no array (the reverse sweep
   * supports arrays declared in branches only when the branch ends the function), and an array
   * result it returns is an array variable, still in scope after {@code f}.
   */
  private boolean canFlag(Stmt.If f) {
    if (declaresArray(List.of(f))) {
      return false;
    }
    if (function.returnType().dims() == 0) {
      return true;
    }
    List<Expr> values = new ArrayList<>();
    collectReturns(List.of(f), values);
    return values.stream().allMatch(v -> v instanceof Expr.Read);
  }

  /** True when {@code stmts} declare an array anywhere. */
  private static boolean declaresArray(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0
          || s instanceof Stmt.If f && (declaresArray(f.then()) || declaresArray(f.otherwise()))
          || s instanceof Stmt.Loop l && (declaresArray(l.init()) || declaresArray(l.body()))) {
        return true;
      }
    }
    return false;
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
      out.addAll(copy(update));
      return out;
    }
    // The jump may be nested: if (a) { if (b) break; ... } else { ... }.
    if (last instanceof Stmt.If f && (containsJump(f.then()) || containsJump(f.otherwise()))) {
      out.set(out.size() - 1, new Stmt.If(f.condition(),
          appendToContinuingPaths(f.then(), update),
          appendToContinuingPaths(f.otherwise(), update), f.source()));
      return out;
    }
    out.addAll(copy(update));
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
