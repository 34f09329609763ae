package dev.adjoint.processor.normalize;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a loop that runs {@code while (true)} (or {@code for (;;)}) the condition its own exit
 * test stands for, so that the counted-loop analysis sees what the loop counts:
 *
 * <ul>
 *   <li>an exit test first in the body, {@code while (true) { if (c) break; rest }}, is the loop's
 *       condition: {@code while (!c) { rest }} (with or without an update, which runs before the
 *       test either way);
 *   <li>an exit test last in a body without {@code continue} (which would skip it),
 *       {@code while (true) { body; if (c) break; }}, is a {@code do}/{@code while}:
 *       {@code do { body } while (!c);}.
 * </ul>
 *
 * <p>Both run the same statements in the same order as before. {@code !c} of an order comparison
 * of integers is the opposite comparison ({@code i >= n - 1} gives {@code i < n - 1}); of
 * anything else (a {@code double} comparison, where NaN makes both false) it stays a negation.
 */
public final class ExitTests {
  private ExitTests() {}

  public static Function apply(Function f) {
    return new Function(f.name(), f.params(), f.returnType(), block(f.body()), f.source());
  }

  private static List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      Stmt inner = Stmt.withBlocks(s, ExitTests::block);
      out.add(inner instanceof Stmt.Loop l ? condition(l) : inner);
    }
    return out;
  }

  private static Stmt.Loop condition(Stmt.Loop l) {
    if (!l.testFirst() || !(l.condition() instanceof Expr.Const k)
        || !Boolean.TRUE.equals(k.value()) || l.body().isEmpty()) {
      return l;
    }
    List<Stmt> body = l.body();
    // First: if (c) break; rest (or, once the rest has moved into the other branch,
    // if (c) break; else { rest }).
    if (body.get(0) instanceof Stmt.If first && isBreak(first.then())) {
      List<Stmt> rest = new ArrayList<>(first.otherwise());
      rest.addAll(body.subList(1, body.size()));
      return condition(new Stmt.Loop(l.init(), not(first.condition()), l.update(), rest, true,
          l.source()));
    }
    // Last: body; if (c) break;
    Stmt end = body.get(body.size() - 1);
    List<Stmt> before = body.subList(0, body.size() - 1);
    if (end instanceof Stmt.If last && isBreak(last.then()) && last.otherwise().isEmpty()
        && l.init().isEmpty() && l.update().isEmpty() && !Uses.continues(before)) {
      return new Stmt.Loop(List.of(), not(last.condition()), List.of(), List.copyOf(before),
          false, l.source());
    }
    return l;
  }

  private static boolean isBreak(List<Stmt> block) {
    return block.size() == 1 && block.get(0) instanceof Stmt.Break;
  }

  /** {@code !c}, an integer comparison flipped, a negation unwrapped. */
  static Expr not(Expr c) {
    if (c instanceof Expr.Unary u && u.op() == UnaryOp.NOT) {
      return u.operand();
    }
    if (c instanceof Expr.Binary b && integral(b.left()) && integral(b.right())) {
      BinaryOp flipped = switch (b.op()) {
        case LT -> BinaryOp.GE;
        case LE -> BinaryOp.GT;
        case GT -> BinaryOp.LE;
        case GE -> BinaryOp.LT;
        case EQ -> BinaryOp.NE;
        case NE -> BinaryOp.EQ;
        default -> null;
      };
      if (flipped != null) {
        return new Expr.Binary(flipped, b.left(), b.right(), b.type());
      }
    }
    return new Expr.Unary(UnaryOp.NOT, c, Type.BOOLEAN);
  }

  private static boolean integral(Expr e) {
    Type t = e.type();
    return t.dims() == 0 && switch (t.prim()) {
      case INT, LONG, SHORT, BYTE, CHAR -> true;
      default -> false;
    };
  }
}
