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
      out.add(rebuild(p.leaf().shape(), args.subList(i, i + n).iterator()));
      i += n;
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
