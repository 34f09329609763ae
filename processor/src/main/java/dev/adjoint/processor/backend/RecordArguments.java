package dev.adjoint.processor.backend;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.RecordShape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The arguments of a call of a method that takes records, whose IR passes the records' leaves:
 * each run of leaves of one record parameter becomes {@code new Params(leaf, ...)} again (nested
 * records nested), the other arguments print as they are.
 */
final class RecordArguments {
  private RecordArguments() {}

  /**
   * The record parameters of the method being printed, which a call passing exactly their
   * leaves passes as they are; empty outside {@link #withParameters}.
   */
  private static final ThreadLocal<List<RecordSignature.Group>> PARAMETERS =
      ThreadLocal.withInitial(List::of);

  /** Prints with {@code groups}, the parameters of the method printed, in scope. */
  static void withParameters(List<RecordSignature.Group> groups, Runnable print) {
    PARAMETERS.set(groups);
    try {
      print.run();
    } finally {
      PARAMETERS.remove();
    }
  }

  /**
   * The record parameter ({@code p}), or the component of one ({@code p.hidden()}), whose leaves
   * {@code args} reads, in order, when it has {@code shape}; else null. Records are immutable, so
   * the leaves still hold its components.
   */
  private static CodeBlock parameterOf(List<Expr> args, RecordShape shape) {
    for (RecordSignature.Group g : PARAMETERS.get()) {
      if (!g.isRecord() || args.isEmpty()) {
        continue;
      }
      int start = -1;
      for (int k = 0; k < g.leaves().size(); k++) {
        if (args.get(0) instanceof Expr.Read r && r.var() == g.leaves().get(k).var()) {
          start = k;
        }
      }
      if (start < 0 || start + args.size() > g.leaves().size()) {
        continue;
      }
      boolean same = true;
      for (int k = 0; k < args.size() && same; k++) {
        same = args.get(k) instanceof Expr.Read r && r.var() == g.leaves().get(start + k).var();
      }
      // The leaves of the whole record, or of one of its components that is a record.
      List<String> path = g.leaves().get(start).leaf().path();
      for (int depth = 0; same && depth < path.size(); depth++) {
        List<String> prefix = path.subList(0, depth);
        RecordShape sub = shapeAt(g.shape(), prefix);
        if (sub != null && sub.equals(shape) && sub.leaves().size() == args.size()
            && (depth == 0 || start == firstLeafUnder(g, prefix))) {
          return RecordSignature.accessors(CodeBlock.of("$N", g.name()), prefix);
        }
      }
    }
    return null;
  }

  private static RecordShape shapeAt(RecordShape shape, List<String> path) {
    RecordShape s = shape;
    for (String name : path) {
      RecordShape next = null;
      for (RecordShape.Component c : s.components()) {
        if (c.name().equals(name)) {
          next = c.nested();
        }
      }
      if (next == null) {
        return null;
      }
      s = next;
    }
    return s;
  }

  private static int firstLeafUnder(RecordSignature.Group g, List<String> prefix) {
    for (int k = 0; k < g.leaves().size(); k++) {
      List<String> path = g.leaves().get(k).leaf().path();
      if (path.size() > prefix.size() && path.subList(0, prefix.size()).equals(prefix)) {
        return k;
      }
    }
    return -1;
  }

  /** The printed arguments of a call of {@code callee} with IR arguments {@code args}. */
  static List<CodeBlock> of(Callee callee, List<Expr> args) {
    List<CodeBlock> out = new ArrayList<>();
    int i = 0;
    while (i < args.size()) {
      Callee.Param p = i < callee.params().size() ? callee.params().get(i) : null;
      if (p == null || p.leaf() == null) {
        out.add(ExprPrinter.print(args.get(i)));
        i++;
        continue;
      }
      int n = p.leaf().shape().leaves().size();
      CodeBlock whole = parameterOf(args.subList(i, i + n), p.leaf().shape());
      out.add(whole != null ? whole
          : rebuild(p.leaf().shape(), args.subList(i, i + n).iterator()));
      i += n;
    }
    return out;
  }

  /**
   * The arguments of the constructor of {@code callee}'s accumulator: {@code buffers} holds,
   * in parameter order, an entry per leaf of a record parameter (a buffer, a zero or the
   * argument's component) and one per differentiable plain array parameter (a buffer).
   */
  static List<CodeBlock> buffers(Callee callee, List<Expr> buffers) {
    List<CodeBlock> out = new ArrayList<>();
    Iterator<Expr> next = buffers.iterator();
    int i = 0;
    while (i < callee.params().size()) {
      Callee.Param p = callee.params().get(i);
      if (p.leaf() != null) {
        int n = p.leaf().shape().leaves().size();
        boolean differentiable = callee.params().subList(i, i + n).stream()
            .anyMatch(Callee.Param::differentiable);
        List<Expr> leaves = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          leaves.add(next.next());
        }
        if (differentiable) {
          out.add(rebuild(p.leaf().shape(), leaves.iterator()));
        }
        i += n;
        continue;
      }
      if (p.differentiable() && p.type().dims() > 0) {
        out.add(ExprPrinter.print(next.next()));
      }
      i++;
    }
    return out;
  }

  /** {@code new Shape(...)} from the next leaves of {@code leaves}. */
  static CodeBlock rebuild(RecordShape shape, Iterator<Expr> leaves) {
    List<CodeBlock> parts = new ArrayList<>();
    for (RecordShape.Component c : shape.components()) {
      parts.add(c.nested() != null ? rebuild(c.nested(), leaves)
          : ExprPrinter.print(leaves.next()));
    }
    return CodeBlock.of("new $T($L)", ExprPrinter.className(shape.packageName(),
        shape.className()), CodeBlock.join(parts, ", "));
  }
}
