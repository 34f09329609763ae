package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fusion of a tail block's last loop with its reverse: the reverse iterations run inside the
 * forward ones, as hand-written gradients do, one pass over the data instead of two. A loop
 * nested last in a fused loop's body fuses with its own reverse in turn, so a double loop
 * computes each inner iteration's locals once. Loops whose reverse iterations commute are
 * {@linkplain #offer offered} while the reverse sweep builds them; {@link #find} decides, once
 * the tail block's sweeps are built, whether its last loop fuses.
 */
final class LoopFusion {
  /**
   * A loop whose reverse iterations run inside its forward iterations.
   *
   * @param code the fused loop, with the reverse code that ran around the reverse loop
   * @param forwardFrom where the loop's forward code starts in the forward statements
   * @param early the forward code of statements after the loop that do not depend on it: it
   *     runs before the fused loop
   * @param pre the reverse code of the return and of the statements after the loop that runs
   *     before the fused loop (it gives the loop's adjoints their final values)
   * @param late the forward code that runs after the fused loop (the statements after it that
   *     read what it computes, and the value's declaration)
   * @param post the rest of that reverse code: it reads what the loop computes, so it runs
   *     after the fused loop and the late forward code
   * @param reverseTo where the loop's reverse code ends in the reverse statements (the reverse
   *     of the statements before the loop follows)
   */
  record Fusion(List<Stmt> code, int forwardFrom, List<Stmt> early, List<Stmt> pre,
      List<Stmt> late, List<Stmt> post, int reverseTo) {}

  private final AdjointContext ctx;
  private final Loops loops;
  private final Recording recording;
  /** The reverse loops of the loops that {@link #find} may fuse. */
  private final Map<Stmt.Loop, Stmt.Loop> reverseLoops = new IdentityHashMap<>();
  /** Those whose reverse iterations pop what their own forward iteration pushed. */
  private final Set<Stmt.Loop> perIteration =
      java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  /** Their bodies without recomputation. */
  private final Map<Stmt.Loop, List<Stmt>> fusableBodies = new IdentityHashMap<>();

  LoopFusion(AdjointContext ctx, Loops loops, Recording recording) {
    this.ctx = ctx;
    this.loops = loops;
    this.recording = recording;
  }

  /**
   * Offers loop {@code l}, whose reverse loop {@code reverse} has commuting iterations, for
   * fusion. The fused loop's forward iteration has just computed the {@code recomputed} locals:
   * they are left out. With {@code recordsPerIteration}, the reverse iterations commute only
   * when each runs right after its own forward iteration (they pop what it pushed).
   */
  void offer(Stmt.Loop l, Stmt.Loop reverse, List<Stmt.Declare> recomputed,
      boolean recordsPerIteration) {
    if (recordsPerIteration) {
      perIteration.add(l);
    }
    List<Stmt> withoutRecompute = new ArrayList<>();
    for (Stmt st : reverse.body()) {
      boolean recomputeBlock = st instanceof Stmt.Comment cm
          && cm.text().startsWith("recomputed")
          || recomputed.stream().anyMatch(d -> d == st);
      if (!recomputeBlock) {
        withoutRecompute.add(st);
      }
    }
    reverseLoops.put(l, reverse);
    fusableBodies.put(l, withoutRecompute);
  }

  /**
   * Fuses the block's last loop with its reverse when that is sound: a counted loop without
   * jumps whose reverse iterations commute (each iteration pops what it pushed, if anything),
   * followed only by scalar statements that save nothing. Those of them that do not depend on
   * the loop run before it; the reverse of the return and of the others is split: what reads
   * nothing the loop or the later statements assign runs before the fused loop (giving the
   * loop's adjoints their final values), the rest after it, where it sees the loop's final
   * values; that rest must not touch what the fused loop reads or writes beyond those values.
   * Null when it is not sound.
   *
   * @param prefix the block's statements before its return
   * @param forward the block's forward sweep
   * @param forwardStart where the forward sweep of each statement of {@code prefix} starts
   * @param reverse the block's reverse sweep (of {@code prefix}, last statement first)
   * @param reverseStart where the reverse sweep of each statement of {@code prefix} ends (it
   *     starts where that of the next statement ends)
   * @param tailCode the reverse of the return, which runs before {@code reverse}
   */
  Fusion find(List<Stmt> prefix, List<Stmt> forward, int[] forwardStart, List<Stmt> reverse,
      int[] reverseStart, List<Stmt> tailCode) {
    int at = -1;
    for (int k = prefix.size() - 1; k >= 0; k--) {
      if (prefix.get(k) instanceof Stmt.Loop) {
        at = k;
        break;
      }
    }
    if (at < 0) {
      return null;
    }
    Stmt.Loop l = (Stmt.Loop) prefix.get(at);
    List<Stmt> forwardCode = forward.subList(forwardStart[at], forwardStart[at + 1]);
    if (forwardCode.size() != 1 || !(forwardCode.get(0) instanceof Stmt.Loop forwardLoop)) {
      return null;
    }
    if (givesArrays(l.body())) {
      // The adjoint of an array given a new array in the loop is taken for the array the
      // variable holds when the reverse starts: after the whole loop, not within it.
      return null;
    }
    Set<Var> loopVars = Uses.assigned(List.of(l));
    loopVars.addAll(Uses.reads(List.of(l)));
    // What the code before the fused loop must not read: what the loop and the statements
    // after it that stay after it assign.
    Set<Var> assigned = Uses.assigned(List.of(l));
    Set<Var> lateAssigned = new HashSet<>();
    List<Stmt> early = new ArrayList<>();
    List<Stmt> late = new ArrayList<>();
    for (int k = at + 1; k < prefix.size(); k++) {
      Stmt s = prefix.get(k);
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0 || recording.needsSave(s)
          || s instanceof Stmt.If || s instanceof Stmt.Loop) {
        return null;
      }
      List<Stmt> code = forward.subList(forwardStart[k], forwardStart[k + 1]);
      if (s instanceof Stmt.Declare d && !meets(Uses.reads(List.of(s)), assigned)
          && !loopVars.contains(d.var())) {
        early.addAll(code); // a value the loop does not change: computed before it
      } else {
        late.addAll(code);
        assigned.addAll(Uses.assigned(List.of(s)));
        lateAssigned.addAll(Uses.assigned(List.of(s)));
      }
    }
    late.addAll(forward.subList(forwardStart[prefix.size()], forward.size()));
    List<Stmt> moved = new ArrayList<>(tailCode);
    moved.addAll(reverse.subList(0, reverseStart[at + 1]));
    List<Stmt> pre = new ArrayList<>();
    List<Stmt> post = new ArrayList<>();
    Set<Var> postReads = new HashSet<>();
    Set<Var> postWrites = new HashSet<>();
    for (Stmt s : moved) {
      Set<Var> reads = Uses.reads(List.of(s));
      Set<Var> writes = Uses.assigned(List.of(s));
      if (meets(reads, assigned) || meets(reads, postWrites) || meets(writes, postWrites)
          || meets(writes, postReads)) {
        post.add(s);
        postReads.addAll(reads);
        postWrites.addAll(writes);
      } else {
        pre.add(s);
      }
    }
    List<Stmt> loopReverse = reverse.subList(reverseStart[at + 1], reverseStart[at]);
    List<Stmt> code = fuse(l, forwardLoop, loopReverse, lateAssigned, Uses.reads(forward));
    if (code == null) {
      return null;
    }
    // The rest runs after the fused loop: it must see the loop's final values, so the loop's
    // reverse code must not change what it reads, and neither the loop nor the late forward
    // code may see what it writes.
    // Adjoints that both only add into (a parameter's) may take the sums in either order.
    Set<Var> sums = Accesses.of(post).onlyAdded();
    sums.retainAll(Accesses.of(code).onlyAdded());
    Set<Var> touched = Uses.reads(code);
    touched.addAll(Uses.assigned(code));
    touched.addAll(Uses.reads(late));
    touched.removeAll(sums);
    Set<Var> reverseAssigned = Uses.assigned(loopReverse);
    reverseAssigned.removeAll(sums);
    if (meets(postReads, reverseAssigned) || meets(postWrites, touched)) {
      return null;
    }
    return new Fusion(code, forwardStart[at], early, pre, late, post, reverseStart[at]);
  }

  /**
   * The fusion of the offered loop {@code l}, whose forward code is {@code forwardLoop} and
   * whose reverse code is {@code region} (its reverse loop with the statements that run before
   * and after it); null when it is not sound. The statements before the reverse loop move before
   * the fused loop, so they must read nothing the loop or the {@code later} statements assign;
   * those after it run before the later statements, so they must read nothing these assign. The
   * forward code, which reads {@code forwardReads}, must not see what either assigns.
   */
  private List<Stmt> fuse(Stmt.Loop l, Stmt.Loop forwardLoop, List<Stmt> region,
      Set<Var> later, Set<Var> forwardReads) {
    Loops.Counted c = loops.counted(l);
    if (c == null || Uses.jumps(l.body(), true)) {
      return null;
    }
    // The reverse loop, alone or under the guard that it runs at all (InvariantIncrements).
    Stmt.Loop reverseLoop = reverseLoops.get(l);
    if (reverseLoop == null) {
      return null;
    }
    int r = indexOf(region, reverseLoop);
    Stmt.If guard = null;
    List<Stmt> guarded = List.of(reverseLoop);
    int g = 0;
    for (int k = 0; k < region.size() && r < 0; k++) {
      if (region.get(k) instanceof Stmt.If i && i.otherwise().isEmpty()
          && indexOf(i.then(), reverseLoop) >= 0) {
        guard = i;
        guarded = i.then();
        g = indexOf(guarded, reverseLoop);
        r = k;
      }
    }
    if (r < 0) {
      return null;
    }
    List<Stmt> before = new ArrayList<>(region.subList(0, r));
    before.addAll(guarded.subList(0, g));
    List<Stmt> after = new ArrayList<>(guarded.subList(g + 1, guarded.size()));
    after.addAll(region.subList(r + 1, region.size()));
    Set<Var> beforeReads = Uses.reads(before);
    if (guard != null) {
      beforeReads.addAll(Uses.all(guard.condition()));
    }
    Set<Var> beforeMustNotRead = new HashSet<>(Uses.assigned(List.of(l)));
    beforeMustNotRead.addAll(later);
    Set<Var> aroundAssigns = Uses.assigned(before);
    aroundAssigns.addAll(Uses.assigned(after));
    if (meets(beforeReads, beforeMustNotRead) || meets(Uses.reads(after), later)
        || meets(aroundAssigns, forwardReads)) {
      return null;
    }
    // The reverse iteration runs at the end of the forward one, before an index update that
    // ends the body.
    List<Stmt> forwardBody = forwardLoop.body();
    List<Stmt> stepping = List.of();
    if (indexOf(forwardLoop.update(), c.update()) < 0) {
      int last = forwardBody.size() - 1;
      if (last < 0 || forwardBody.get(last) != c.update()) {
        return null;
      }
      stepping = List.of(c.update());
      forwardBody = forwardBody.subList(0, last);
    }
    List<Stmt> body = new ArrayList<>();
    List<Stmt> reverseBody = fusableBodies.get(l);
    if (perIteration.contains(l)) {
      List<List<Stmt>> kept = withoutOwnSaves(l, forwardBody, reverseBody);
      forwardBody = kept.get(0);
      reverseBody = kept.get(1);
    }
    List<Stmt> nested = fuseLast(l, forwardBody, reverseBody, forwardReads);
    if (nested != null) {
      body.addAll(nested);
    } else {
      body.addAll(forwardBody);
      body.add(new Stmt.Comment(perIteration.contains(l) && usesTape(forwardBody)
          ? "reverse of this iteration, right after it: iterations only add into adjoints, and"
              + " it pops what this iteration pushed (the tape holds one iteration's records)"
          : "reverse of this iteration (iterations only add into adjoints)"));
      body.addAll(reverseBody);
    }
    body.addAll(stepping);
    Stmt.Loop fused = new Stmt.Loop(forwardLoop.init(), forwardLoop.condition(),
        forwardLoop.update(), body, forwardLoop.testFirst(), l.source());
    // A loop with its own index runs under a guard that it runs at all as it is; in it, the
    // elements the loop reads at one index can be read before it. Each iteration reads the
    // other elements it reads repeatedly once.
    Expr ran = guard != null ? guard.condition()
        : c.ownIndex() && forwardLoop.testFirst() ? InvariantIncrements.ran(l, c) : null;
    InvariantReads.Cached cached = ran == null ? new InvariantReads.Cached(List.of(), fused)
        : InvariantReads.cache(fused, ctx);
    Stmt.Loop loop = IterationReads.cache(cached.loop(), ctx);
    List<Stmt> out = new ArrayList<>(region.subList(0, r));
    if (guard == null && cached.locals().isEmpty()) {
      out.add(loop);
      out.addAll(region.subList(r + 1, region.size()));
      return out;
    }
    List<Stmt> then = new ArrayList<>(cached.locals());
    then.addAll(guarded.subList(0, g));
    then.add(loop);
    then.addAll(guarded.subList(g + 1, guarded.size()));
    if (InvariantIncrements.surely(ran)) {
      out.addAll(then);
    } else {
      out.add(new Stmt.If(ran, then, List.of(), Source.NONE));
    }
    out.addAll(region.subList(r + 1, region.size()));
    return out;
  }

  /**
   * The body of a fused loop whose body {@code l.body()} ends in a loop that fuses too:
   * {@code forwardBody} with that loop fused with its reverse, which is part of
   * {@code reverseBody}; null when it does not fuse.
   */
  private List<Stmt> fuseLast(Stmt.Loop l, List<Stmt> forwardBody, List<Stmt> reverseBody,
      Set<Var> forwardReads) {
    int last = forwardBody.size() - 1;
    if (l.body().isEmpty() || !(l.body().get(l.body().size() - 1) instanceof Stmt.Loop inner)
        || last < 0 || !(forwardBody.get(last) instanceof Stmt.Loop forwardInner)) {
      return null;
    }
    List<Stmt> fused = fuse(inner, forwardInner, reverseBody, Set.of(), forwardReads);
    if (fused == null) {
      return null;
    }
    List<Stmt> out = new ArrayList<>(forwardBody.subList(0, last));
    out.addAll(fused);
    return out;
  }

  /**
   * The forward and reverse bodies of {@code l} without the saves of its own top-level locals:
   * a fused iteration would push the previous iteration's value of such a local before
   * declaring it and pop it back after its reverse, but nothing reads that value any more (the
   * next iteration declares the local afresh). A push and its restore go together, so the tape
   * stays balanced.
   */
  private static List<List<Stmt>> withoutOwnSaves(Stmt.Loop l, List<Stmt> forwardBody,
      List<Stmt> reverseBody) {
    Set<Var> locals = new HashSet<>();
    for (Stmt s : l.body()) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() == 0) {
        locals.add(d.var());
      }
    }
    Map<Var, Stmt> pushes = new java.util.HashMap<>();
    Map<Var, Stmt> restores = new java.util.HashMap<>();
    Set<Var> twice = new HashSet<>();
    for (Stmt s : forwardBody) {
      if (s instanceof Stmt.Eval e && e.expr() instanceof Expr.RuntimeCall c
          && c.receiver() != null && c.name().startsWith("push") && c.args().size() == 1
          && c.args().get(0) instanceof Expr.Read r && locals.contains(r.var())
          && pushes.put(r.var(), s) != null) {
        twice.add(r.var());
      }
    }
    for (Stmt s : reverseBody) {
      if (s instanceof Stmt.Assign a && a.op() == dev.adjoint.processor.ir.AssignOp.SET
          && locals.contains(a.target()) && isPop(a.value())
          && restores.put(a.target(), s) != null) {
        twice.add(a.target());
      }
    }
    Set<Stmt> dropped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<Var, Stmt> e : pushes.entrySet()) {
      Stmt restore = restores.get(e.getKey());
      if (restore != null && !twice.contains(e.getKey())) {
        dropped.add(e.getValue());
        dropped.add(restore);
      }
    }
    return List.of(forwardBody.stream().filter(s -> !dropped.contains(s)).toList(),
        reverseBody.stream().filter(s -> !dropped.contains(s)).toList());
  }

  /** True when {@code stmts} push or pop the tape. */
  static boolean usesTape(List<Stmt> stmts) {
    return Stmt.any(stmts, true, s -> s.expressions().stream().anyMatch(LoopFusion::usesTape));
  }

  private static boolean usesTape(Expr e) {
    return e.receiver() != null && e.receiver().type().equals(dev.adjoint.processor.ir.Type.TAPE)
        || e.operands().stream().anyMatch(LoopFusion::usesTape);
  }

  /** How statements use each variable: read, only added into, or otherwise written. */
  private record Accesses(Set<Var> read, Set<Var> added, Set<Var> written) {
    static Accesses of(List<Stmt> stmts) {
      Accesses a = new Accesses(new HashSet<>(), new HashSet<>(), new HashSet<>());
      a.scan(stmts);
      return a;
    }

    /** The variables that are only the targets of {@code +=} and {@code -=}. */
    Set<Var> onlyAdded() {
      Set<Var> out = new HashSet<>(added);
      out.removeAll(read);
      out.removeAll(written);
      return out;
    }

    private void scan(List<Stmt> stmts) {
      for (Stmt s : Stmt.all(stmts, true)) {
        s.expressions().forEach(e -> read.addAll(Uses.all(e)));
        if (s instanceof Stmt.Assign a && (a.op() == dev.adjoint.processor.ir.AssignOp.ADD
            || a.op() == dev.adjoint.processor.ir.AssignOp.SUB)) {
          added.add(a.target());
        } else if (s instanceof Stmt.Assign a) {
          written.add(a.target());
        } else if (s instanceof Stmt.Declare d) {
          written.add(d.var());
        } else if (s instanceof Stmt.Store st) {
          written.add(Uses.storeBase(st));
        }
      }
    }
  }

  private static boolean isPop(Expr e) {
    Expr x = e instanceof Expr.Cast c ? c.operand() : e;
    return x instanceof Expr.RuntimeCall c && c.receiver() != null
        && c.name().startsWith("pop");
  }

  private static int indexOf(List<Stmt> stmts, Stmt s) {
    for (int k = 0; k < stmts.size(); k++) {
      if (stmts.get(k) == s) {
        return k;
      }
    }
    return -1;
  }

  /** True when {@code stmts} give an array variable an array (declare or assign it whole). */
  static boolean givesArrays(List<Stmt> stmts) {
    return Stmt.any(stmts, true, s -> s instanceof Stmt.Assign a && a.target().type().dims() > 0
        || s instanceof Stmt.Declare d && d.var().type().dims() > 0
            && !(d.init() instanceof Expr.Index) && !(d.init() instanceof Expr.NewArray));
  }

  private static boolean meets(Set<Var> a, Set<Var> b) {
    for (Var v : a) {
      if (b.contains(v)) {
        return true;
      }
    }
    return false;
  }
}
