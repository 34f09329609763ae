package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Array elements that one iteration of a fused loop reads more than once ({@code x[i]} in the
 * forward code and again in the reverse code) read once into a local, as a hand-written
 * gradient keeps {@code xi}: HotSpot would otherwise reload the element, even within one
 * iteration, after the stores into adjoint arrays that it cannot prove distinct from it.
 *
 * <p>Under the conditions of {@link InvariantReads#readOnly}, an element of an array that is
 * not an adjoint is read into its local just before the body's first top-level statement that
 * reads it whenever it runs, so the local reads nothing the iteration did not. The local
 * stands for the element from there up to the first statement that assigns the array or a
 * variable of the index (such as the index update ending a {@code while} loop's body); all
 * reads in between use it, conditional ones included.
 */
final class IterationReads {
  /** Where an element's local is declared and up to where it stands for the element. */
  private record Span(int from, int to) {}

  private IterationReads() {}

  /** {@code loop}, whose body reads each element it reads repeatedly from a local. */
  static Stmt.Loop cache(Stmt.Loop loop, AdjointContext ctx) {
    if (!InvariantReads.readOnly(loop, ctx)) {
      return loop;
    }
    List<Stmt> body = loop.body();
    Set<Var> adjointArrays = ctx.adjointArrays();
    Map<Expr.Index, Integer> firstRead = new LinkedHashMap<>();
    for (int k = 0; k < body.size(); k++) {
      int at = k;
      for (Expr e : InvariantReads.unconditional(body.get(k))) {
        InvariantReads.elements(e,
            i -> !adjointArrays.contains(((Expr.Read) i.array()).var()),
            i -> firstRead.putIfAbsent(i, at));
      }
    }
    Map<Expr.Index, Span> spans = new LinkedHashMap<>();
    for (Map.Entry<Expr.Index, Integer> e : firstRead.entrySet()) {
      Set<Var> vars = Uses.all(e.getKey());
      int to = e.getValue();
      while (to < body.size()
          && Uses.assigned(List.of(body.get(to))).stream().noneMatch(vars::contains)) {
        to++;
      }
      if (count(body.subList(e.getValue(), to), e.getKey()) > 1) {
        spans.put(e.getKey(), new Span(e.getValue(), to));
      }
    }
    if (spans.isEmpty()) {
      return loop;
    }
    Map<Expr.Index, Var> locals = new HashMap<>();
    List<Stmt> out = new ArrayList<>();
    for (int k = 0; k < body.size(); k++) {
      Map<Expr.Index, Var> live = new HashMap<>();
      for (Map.Entry<Expr.Index, Span> e : spans.entrySet()) {
        Expr.Index element = e.getKey();
        if (e.getValue().from() == k) {
          Var local = ctx.newVar(ElementAccumulators.localName(element), element.type());
          locals.put(element, local);
          out.add(new Stmt.Declare(local, element, Source.NONE));
        }
        if (e.getValue().from() <= k && k < e.getValue().to()) {
          live.put(element, locals.get(element));
        }
      }
      out.add(InvariantReads.replace(body.get(k), live));
    }
    return new Stmt.Loop(loop.init(), loop.condition(), loop.update(), out, loop.testFirst(),
        loop.source());
  }

  /** How often {@code stmts} read {@code element}, nested blocks included. */
  private static int count(List<Stmt> stmts, Expr.Index element) {
    int n = 0;
    for (Stmt s : stmts) {
      for (Expr e : Exprs.ownExpressions(s)) {
        n += count(e, element);
      }
      if (s instanceof Stmt.If i) {
        n += count(i.then(), element) + count(i.otherwise(), element);
      } else if (s instanceof Stmt.Loop l) {
        n += count(l.init(), element) + count(l.body(), element) + count(l.update(), element);
      }
    }
    return n;
  }

  private static int count(Expr e, Expr.Index element) {
    if (e.equals(element)) {
      return 1;
    }
    int n = 0;
    for (Expr c : Exprs.children(e)) {
      n += count(c, element);
    }
    return n;
  }
}
