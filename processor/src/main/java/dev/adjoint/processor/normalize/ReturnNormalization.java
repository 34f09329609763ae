package dev.adjoint.processor.normalize;

import static dev.adjoint.processor.normalize.Jumps.containsJump;
import static dev.adjoint.processor.normalize.Jumps.endsInJump;
import static dev.adjoint.processor.normalize.Jumps.isJump;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
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
 *
 * <p>This class moves the rest of a block into branches; returns that must happen later are
 * {@link DeferredReturns}, and the flags of one {@code if}'s jumps are {@link JumpFlags}.
 */
public final class ReturnNormalization {
  /** At most this many statements after an if are copied into its branches rather than flagged. */
  private static final int COPY_LIMIT = 3;

  private final Function function;
  private final NameAllocator names = new NameAllocator();
  /** The returns recorded in flags, to happen later. */
  private final DeferredReturns returns;

  private ReturnNormalization(Function function) {
    this.function = function;
    function.params().forEach(p -> names.reserve(p.var().name()));
    Uses.assigned(function.body()).forEach(v -> names.reserve(v.name()));
    this.returns = new DeferredReturns(function, names);
  }

  /** Normalises the body of {@code f}. */
  public static Function normalize(Function f) {
    ReturnNormalization n = new ReturnNormalization(f);
    List<Stmt> body = f.body();
    if (DeferredReturns.inLoops(body)) {
      body = n.returns.outOfLoops(body, 0);
    }
    body = n.tails(body);
    List<Stmt> declared = n.returns.declarations();
    if (!declared.isEmpty()) {
      declared.addAll(body);
      body = declared;
    }
    return new Function(f.name(), f.params(), f.returnType(), body, f.source());
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
    return endsInJump(normal) ? normal : tails(concat(branch, FreshCopies.of(rest)));
  }

  /**
   * Lets the jumps of {@code f} set flags, and jumps after it: the rest of the block then follows
   * once instead of once per path that goes on. {@code then} and {@code otherwise} are its
   * normalised branches, whose jumps all end paths, so nothing in {@code f} runs after a flag is
   * set.
   */
  private void jumpAfter(Stmt.If f, List<Stmt> then, List<Stmt> otherwise, List<Stmt> rest,
      List<Stmt> out) {
    JumpFlags flags = new JumpFlags(returns, names);
    Stmt.If flagged = new Stmt.If(f.condition(), flags.replaceJumps(then),
        flags.replaceJumps(otherwise), f.source());
    flags.declare(out);
    out.add(flagged);
    List<Stmt> after = flags.jumps();
    after.addAll(rest);
    out.addAll(tails(after));
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
    DeferredReturns.collectReturns(List.of(f), values);
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

  private static List<Stmt> appendToContinuingPaths(List<Stmt> block, List<Stmt> update) {
    List<Stmt> out = new ArrayList<>(block);
    Stmt last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last instanceof Stmt.Break) {
      return out;
    }
    if (last instanceof Stmt.Continue) {
      out.remove(out.size() - 1);
      out.addAll(FreshCopies.of(update));
      return out;
    }
    // The jump may be nested: if (a) { if (b) break; ... } else { ... }.
    if (last instanceof Stmt.If f && (containsJump(f.then()) || containsJump(f.otherwise()))) {
      out.set(out.size() - 1, new Stmt.If(f.condition(),
          appendToContinuingPaths(f.then(), update),
          appendToContinuingPaths(f.otherwise(), update), f.source()));
      return out;
    }
    out.addAll(FreshCopies.of(update));
    return out;
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
