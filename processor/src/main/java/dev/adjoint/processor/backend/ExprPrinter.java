package dev.adjoint.processor.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import java.util.List;

/** Prints IR expressions as Java source, with only the parentheses Java needs. */
final class ExprPrinter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CONDITIONAL = 2;

  private ExprPrinter() {}

  /** A printed expression and the precedence of its top operator. */
  private record Printed(CodeBlock code, int precedence, boolean startsWithMinus) {}

  static CodeBlock print(Expr e) {
    return printed(e).code();
  }

  private static Printed printed(Expr e) {
    if (e instanceof Expr.Const c) {
      return literal(c);
    }
    if (e instanceof Expr.Read r) {
      return primary(CodeBlock.of("$N", r.var().name()));
    }
    if (e instanceof Expr.StaticField f) {
      return primary(CodeBlock.of("$T.$N", ClassName.bestGuess(f.owner()), f.name()));
    }
    if (e instanceof Expr.Unary u) {
      boolean numeric = u.type().isNumeric() && u.operand().type().isNumeric();
      Printed operand = numeric && !unaryPromote(javaType(u.operand())).equals(u.type())
          ? typed(u.operand()) : printed(u.operand());
      boolean paren = operand.precedence() < UNARY
          || u.op() == UnaryOp.NEG && operand.startsWithMinus();
      return new Printed(CodeBlock.of("$L$L", u.op().symbol, wrap(operand, paren)), UNARY,
          u.op() == UnaryOp.NEG);
    }
    if (e instanceof Expr.Binary b) {
      Printed l = printed(b.left());
      Printed r = printed(b.right());
      Type lt = b.left().type();
      Type rt = b.right().type();
      if (b.op() == BinaryOp.SHL || b.op() == BinaryOp.SHR || b.op() == BinaryOp.USHR) {
        if (!unaryPromote(javaType(b.left())).equals(unaryPromote(lt))) {
          l = typed(b.left());
        }
      } else if (lt.isNumeric() && rt.isNumeric()) {
        // Both operands may be widenings left implicit (x * x for float x in a double
        // derivative): Java would then compute in the narrower type, so write one cast.
        Type wanted = Type.promote(lt, rt);
        if (!Type.promote(javaType(b.left()), javaType(b.right())).equals(wanted)) {
          if (lt.equals(wanted)) {
            l = typed(b.left());
          } else {
            r = typed(b.right());
          }
        }
      }
      int p = b.op().precedence;
      CodeBlock code = CodeBlock.of("$L $L $L", wrap(l, l.precedence() < p), b.op().symbol,
          wrap(r, r.precedence() <= p));
      return new Printed(code, p, l.startsWithMinus() && l.precedence() >= p);
    }
    if (e instanceof Expr.Cast c) {
      Printed operand = printed(c.operand());
      if (!c.explicit() || javaType(c.operand()).equals(c.type())) {
        return operand; // implicit, or redundant because the operand's widening is implicit
      }
      return new Printed(CodeBlock.of("($L) $L", c.type().javaName(),
          wrap(operand, operand.precedence() < PRIMARY)), UNARY, false);
    }
    if (e instanceof Expr.Conditional c) {
      Printed cond = printed(c.condition());
      Printed a = printed(c.ifTrue());
      Printed b = printed(c.ifFalse());
      if (c.type().isNumeric() && !javaType(c.ifTrue()).equals(c.type())
          && !javaType(c.ifFalse()).equals(c.type())) {
        a = typed(c.ifTrue());
      }
      return new Printed(CodeBlock.of("$L ? $L : $L",
          wrap(cond, cond.precedence() <= CONDITIONAL), wrap(a, a.precedence() <= CONDITIONAL),
          wrap(b, b.precedence() < CONDITIONAL)), CONDITIONAL, cond.startsWithMinus());
    }
    if (e instanceof Expr.Print p) {
      return primary(CodeBlock.of("$T.$N.$N($L)", System.class, p.stream(), p.method(),
          args(p.args())));
    }
    if (e instanceof Expr.LibraryCall c) {
      ClassName owner = c.owner().contains(".") ? ClassName.bestGuess(c.owner())
          : ClassName.get("java.lang", c.owner());
      return primary(CodeBlock.of("$T.$N($L)", owner, c.name(), args(c.args())));
    }
    if (e instanceof Expr.DiffCall c && c.callee().hasRecords()) {
      List<CodeBlock> args = RecordArguments.of(c.callee(), c.args());
      if (c.callee().isInstance()) {
        return primary(CodeBlock.of("$L.$N($L)", args.get(0), c.callee().method(),
            CodeBlock.join(args.subList(1, args.size()), ", ")));
      }
      return primary(CodeBlock.of("$T.$N($L)", owner(c.callee()), c.callee().method(),
          CodeBlock.join(args, ", ")));
    }
    if (e instanceof Expr.DiffCall c) {
      return primary(CodeBlock.of("$T.$N($L)", owner(c.callee()), c.callee().method(),
          args(c.args())));
    }
    if (e instanceof Expr.GradCall c && c.callee().hasRecords()) {
      return primary(CodeBlock.of("$T.$N($L)",
          ClassName.get(c.callee().packageName(), c.callee().gradName()), c.callee().method(),
          CodeBlock.join(RecordArguments.of(c.callee(), c.args()), ", ")));
    }
    if (e instanceof Expr.GradCall c) {
      return primary(CodeBlock.of("$T.$N($L)",
          ClassName.get(c.callee().packageName(), c.callee().gradName()), c.callee().method(),
          args(c.args())));
    }
    if (e instanceof Expr.AccumulatingCall c && c.callee().hasRecords()) {
      return primary(CodeBlock.of("$T.$N($L)",
          ClassName.get(c.callee().packageName(), c.callee().gradName()), c.callee().method(),
          CodeBlock.join(RecordArguments.of(c.callee(), c.args()), ", ")));
    }
    if (e instanceof Expr.AccumulatingCall c) {
      return primary(CodeBlock.of("$T.$N($L)",
          ClassName.get(c.callee().packageName(), c.callee().gradName()), c.callee().method(),
          args(c.args())));
    }
    if (e instanceof Expr.NewAccumulator n && n.callee().hasRecords()) {
      return primary(CodeBlock.of("new $T($L)", accumulatorType(n.callee()),
          CodeBlock.join(RecordArguments.buffers(n.callee(), n.buffers()), ", ")));
    }
    if (e instanceof Expr.NewAccumulator n) {
      return primary(CodeBlock.of("new $T($L)", accumulatorType(n.callee()),
          args(n.buffers())));
    }
    if (e instanceof Expr.NewRecord n) {
      return primary(CodeBlock.of("new $T($L)", className(n.packageName(), n.className()),
          args(n.args())));
    }
    if (e instanceof Expr.CustomCall c) {
      return primary(CodeBlock.of("$T.$N($L)", className(c.pullback().targetPackage(),
          c.pullback().targetOwner()), c.pullback().targetMethod(), args(c.args())));
    }
    if (e instanceof Expr.PullbackCall c) {
      return primary(CodeBlock.of("$T.$N($L)", className(c.pullback().pullbackPackage(),
          c.pullback().pullbackOwner()), c.pullback().pullbackMethod(), args(c.args())));
    }
    if (e instanceof Expr.Null) {
      return primary(CodeBlock.of("null"));
    }
    if (e instanceof Expr.Index i) {
      Printed array = printed(i.array());
      return primary(CodeBlock.of("$L[$L]", wrap(array, array.precedence() < PRIMARY),
          print(i.index())));
    }
    if (e instanceof Expr.Length l) {
      Printed array = printed(l.array());
      return primary(CodeBlock.of("$L.length", wrap(array, array.precedence() < PRIMARY)));
    }
    if (e instanceof Expr.Field f) {
      return primary(CodeBlock.of("$N.$N", f.receiver().name(), f.name()));
    }
    if (e instanceof Expr.RuntimeCall c) {
      if (c.receiver() != null) {
        return primary(CodeBlock.of("$N.$N($L)", c.receiver().name(), c.name(), args(c.args())));
      }
      return primary(CodeBlock.of("$T.$N($L)", ClassName.get("dev.adjoint", c.owner()),
          c.name(), args(c.args())));
    }
    if (e instanceof Expr.NewArray n) {
      Type element = n.type().elementType();
      if (n.elements() != null) {
        return new Printed(CodeBlock.of("new $L$L {$L}", element.javaName(),
            "[]".repeat(n.type().dims()), args(n.elements())), PRIMARY, false);
      }
      CodeBlock.Builder b = CodeBlock.builder().add("new $L", element.javaName());
      for (Expr d : n.dims()) {
        b.add("[$L]", print(d));
      }
      b.add("$L", "[]".repeat(n.type().dims() - n.dims().size()));
      return primary(b.build());
    }
    Expr.Component c = (Expr.Component) e;
    Printed rec = printed(c.record());
    return primary(CodeBlock.of("$L.$N()", wrap(rec, rec.precedence() < PRIMARY), c.name()));
  }

  /**
   * The Java type of the printed text of {@code e}. Widenings the IR marks implicit are not
   * printed, so the text of such a cast has its operand's type; every other expression prints
   * with its own IR type (the printer writes a cast where leaving one out would change it).
   */
  private static Type javaType(Expr e) {
    if (e instanceof Expr.Cast c && !c.explicit()) {
      return javaType(c.operand());
    }
    return e.type();
  }

  /** Prints {@code e} so that its Java type is its IR type, writing a dropped widening. */
  private static Printed typed(Expr e) {
    if (e instanceof Expr.Cast c && !c.explicit() && !javaType(c.operand()).equals(c.type())) {
      Printed operand = typed(c.operand());
      return new Printed(CodeBlock.of("($L) $L", c.type().javaName(),
          wrap(operand, operand.precedence() < PRIMARY)), UNARY, false);
    }
    return printed(e);
  }

  /** Unary numeric promotion (JLS 5.6.1). */
  private static Type unaryPromote(Type t) {
    return t.isIntegral() && !t.equals(Type.LONG) ? Type.INT : t;
  }

  /**
   * The generated type of a variable initialised with {@code init}, when that is a gradient
   * record or accumulator (whose IR type names it only loosely), else null.
   */
  static ClassName generatedType(Expr init) {
    if (init instanceof Expr.GradCall g) {
      return recordType(g.callee());
    }
    if (init instanceof Expr.NewAccumulator n) {
      return accumulatorType(n.callee());
    }
    return null;
  }

  /** The record type a gradient call returns. */
  private static ClassName recordType(Callee callee) {
    return ClassName.get(callee.packageName(), callee.gradName(), callee.recordName());
  }

  /** The accumulator type of a callee's accumulating form. */
  private static ClassName accumulatorType(Callee callee) {
    return ClassName.get(callee.packageName(), callee.gradName(), callee.accumulatorName());
  }

  private static ClassName owner(Callee callee) {
    // A void method's value form, which returns its out-parameter's new values, is generated.
    return callee.outParameter() >= 0 ? ClassName.get(callee.packageName(), callee.gradName())
        : className(callee.packageName(), callee.ownerName());
  }

  static ClassName className(String pkg, String dottedNames) {
    String[] names = dottedNames.split("\\.");
    return ClassName.get(pkg, names[0], java.util.Arrays.copyOfRange(names, 1, names.length));
  }

  private static CodeBlock args(List<Expr> args) {
    return args.stream().map(ExprPrinter::print).collect(CodeBlock.joining(", "));
  }

  private static Printed primary(CodeBlock code) {
    return new Printed(code, PRIMARY, false);
  }

  private static CodeBlock wrap(Printed p, boolean paren) {
    return paren ? CodeBlock.of("($L)", p.code()) : p.code();
  }

  private static Printed literal(Expr.Const c) {
    Object v = c.value();
    Type t = c.type();
    String text;
    if (v instanceof String string) {
      return primary(CodeBlock.of("$S", string));
    }
    if (v instanceof Boolean b) {
      text = b.toString();
    } else if (t.equals(Type.DOUBLE)) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return primary(CodeBlock.of("$T.NaN", Double.class));
      }
      if (Double.isInfinite(d)) {
        return new Printed(CodeBlock.of("$T.$L", Double.class,
            d > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY"), PRIMARY, false);
      }
      text = Double.toString(d);
    } else if (t.equals(Type.FLOAT)) {
      float f = ((Number) v).floatValue();
      if (Float.isNaN(f)) {
        return primary(CodeBlock.of("$T.NaN", Float.class));
      }
      if (Float.isInfinite(f)) {
        return primary(CodeBlock.of("$T.$L", Float.class,
            f > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY"));
      }
      text = Float.toString(f) + "f";
    } else if (t.equals(Type.LONG)) {
      text = ((Number) v).longValue() + "L";
    } else if (v instanceof Character ch) {
      if (ch >= ' ' && ch <= '~' && ch != '\'' && ch != '\\') {
        return primary(CodeBlock.of("$L", "'" + ch + "'"));
      }
      text = "(char) " + (int) ch;
      return new Printed(CodeBlock.of("$L", text), UNARY, false);
    } else {
      long n = ((Number) v).longValue();
      text = (t.equals(Type.INT) || t.equals(Type.SHORT) || t.equals(Type.BYTE))
          ? Long.toString(n) : Long.toString(n);
      if (!t.equals(Type.INT)) {
        text = "(" + t.javaName() + ") " + (n < 0 ? "(" + text + ")" : text);
        return new Printed(CodeBlock.of("$L", text), UNARY, false);
      }
    }
    boolean negative = text.startsWith("-");
    return new Printed(CodeBlock.of("$L", text), negative ? UNARY : PRIMARY, negative);
  }
}
