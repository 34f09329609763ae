package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fusion of a tail block's last loop with its reverse: the reverse iterations run inside the
 * forward ones, as hand-written gradients do, one pass over the data instead of two. Loops whose
 * reverse iterations commute are {@linkplain #offer offered} while the reverse sweep builds them;
 * {@link #find} decides, once the tail block's sweeps are built, whether its last loop fuses.
 */
final class LoopFusion {
  /**
   * A loop whose reverse iterations run inside its forward iterations.
   *
   * @param loop the fused loop
   * @param forwardFrom where the loop's forward code starts in the forward statements
   * @param forwardTo where it ends
   * @param reverseFrom where the loop's reverse code starts in the reverse statements
   * @param reverseTo where it ends
   */
  record Fusion(Stmt.Loop loop, int forwardFrom, int forwardTo, int reverseFrom,
      int reverseTo) {}

  private final Loops loops;
  private final Recording recording;
  /** Reverse bodies (without recomputation) of loops that {@link #find} may fuse. */
  private final Map<Stmt.Loop, List<Stmt>> fusableBodies = new IdentityHashMap<>();

  LoopFusion(Loops loops, Recording recording) {
    this.loops = loops;
    this.recording = recording;
  }

  /**
   * Offers loop {@code l}, whose reverse iterations {@code body} commute, for fusion. The fused
   * loop's forward iteration has just computed the {@code recomputed} locals: they are left out.
   */
  void offer(Stmt.Loop l, List<Stmt> body, List<Stmt.Declare> recomputed) {
    List<Stmt> withoutRecompute = new ArrayList<>();
    for (Stmt st : body) {
      boolean recomputeBlock = st instanceof Stmt.Comment cm
          && cm.text().startsWith("recomputed")
          || recomputed.stream().anyMatch(d -> d == st);
      if (!recomputeBlock) {
        withoutRecompute.add(st);
      }
    }
    fusableBodies.put(l, withoutRecompute);
  }

  /**
   * Fuses the block's last loop with its reverse when that is sound: a counted loop without
   * jumps whose reverse iterations commute and record nothing, followed only by statements whose
   * reverse reads nothing the loop or they assign (so their reverse can run before the loop,
   * giving the loop's adjoints their final values first), none of them declaring arrays or
   * saving values. Null when it is not.
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
    List<Stmt> reverseBody = fusableBodies.get(l);
    List<Stmt> forwardCode = forward.subList(forwardStart[at], forwardStart[at + 1]);
    if (reverseBody == null || loops.counted(l) == null || Uses.jumps(l.body(), true)
        || forwardCode.size() != 1 || !(forwardCode.get(0) instanceof Stmt.Loop forwardLoop)) {
      return null;
    }
    List<Stmt> after = prefix.subList(at + 1, prefix.size());
    Set<Var> assigned = Uses.assigned(List.of(l));
    assigned.addAll(Uses.assigned(after));
    for (Stmt s : after) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0 || recording.needsSave(s)
          || s instanceof Stmt.If || s instanceof Stmt.Loop) {
        return null;
      }
    }
    List<Stmt> moved = new ArrayList<>(reverse.subList(0, reverseStart[at + 1]));
    moved.addAll(tailCode);
    for (Var v : IterationOrder.reads(moved)) {
      if (assigned.contains(v)) {
        return null;
      }
    }
    List<Stmt> body = new ArrayList<>(forwardLoop.body());
    body.add(new Stmt.Comment("reverse of this iteration (iterations only add into adjoints)"));
    body.addAll(reverseBody);
    Stmt.Loop fused = new Stmt.Loop(forwardLoop.init(), forwardLoop.condition(),
        forwardLoop.update(), body, true, l.source());
    return new Fusion(fused, forwardStart[at], forwardStart[at + 1], reverseStart[at + 1],
        reverseStart[at]);
  }
}
