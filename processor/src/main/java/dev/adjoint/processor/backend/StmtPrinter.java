package dev.adjoint.processor.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import java.util.List;

/** Prints IR statements as a Java method body. */
final class StmtPrinter {
  private StmtPrinter() {}

  static void print(List<Stmt> stmts, CodeBlock.Builder out) {
    for (Stmt s : stmts) {
      print(s, out);
    }
  }

  private static void print(Stmt s, CodeBlock.Builder out) {
    if (s instanceof Stmt.Declare d) {
      TypeName generated = ExprPrinter.generatedType(d.init());
      Object type = generated != null ? generated : typeName(d.var().type());
      if (d.init() == null) {
        out.addStatement("$T $N", type, d.var().name());
      } else {
        out.addStatement("$T $N = $L", type, d.var().name(), ExprPrinter.print(d.init()));
      }
    } else if (s instanceof Stmt.Assign || s instanceof Stmt.Store || s instanceof Stmt.Eval) {
      out.addStatement("$L", statementExpression(s));
    } else if (s instanceof Stmt.Break) {
      out.addStatement("break");
    } else if (s instanceof Stmt.Continue) {
      out.addStatement("continue");
    } else if (s instanceof Stmt.Loop l) {
      printLoop(l, out);
    } else if (s instanceof Stmt.Return r) {
      out.addStatement("return $L", ExprPrinter.print(r.value()));
    } else if (s instanceof Stmt.CallPart c) {
      CodeBlock args = c.args().stream().map(ExprPrinter::print)
          .collect(CodeBlock.joining(", "));
      if (c.receiver() == null) {
        out.addStatement("$N($L)", c.method(), args);
      } else {
        out.addStatement("$N.$N($L)", c.receiver().name(), c.method(), args);
      }
    } else if (s instanceof Stmt.Comment c) {
      out.add("// $L\n", c.text());
    } else if (s instanceof Stmt.Blank) {
      out.add("\n");
    } else if (s instanceof Stmt.If i) {
      out.beginControlFlow("if ($L)", ExprPrinter.print(i.condition()));
      print(i.then(), out);
      List<Stmt> otherwise = i.otherwise();
      while (otherwise.size() == 1 && otherwise.get(0) instanceof Stmt.If nested) {
        out.nextControlFlow("else if ($L)", ExprPrinter.print(nested.condition()));
        print(nested.then(), out);
        otherwise = nested.otherwise();
      }
      if (!otherwise.isEmpty()) {
        out.nextControlFlow("else");
        print(otherwise, out);
      }
      out.endControlFlow();
    }
  }

  /** An assignment, element store or call, without its semicolon (as in a for header). */
  private static CodeBlock statementExpression(Stmt s) {
    if (s instanceof Stmt.Assign a) {
      if (a.target().type().isIntegral() && a.value() instanceof Expr.Const c
          && c.asDouble() == 1 && (a.op() == AssignOp.ADD || a.op() == AssignOp.SUB)) {
        return CodeBlock.of("$N$L", a.target().name(), a.op() == AssignOp.ADD ? "++" : "--");
      }
      if (narrows(a.op(), a.target().type(), a.value().type())) {
        // x op= e with e wider than x: spelled out as javac defines it (JLS 15.26.2), since
        // JDK 20+ warns about the implicit narrowing (-Xlint:lossy-conversions).
        return CodeBlock.of("$N = $L", a.target().name(), ExprPrinter.print(
            new Expr.Cast(a.target().type(), new Expr.Binary(a.op().binary,
                new Expr.Read(a.target()), a.value(), a.value().type()), true)));
      }
      return CodeBlock.of("$N $L $L", a.target().name(), a.op().symbol,
          ExprPrinter.print(a.value()));
    }
    if (s instanceof Stmt.Store st) {
      if (narrows(st.op(), st.target().type(), st.value().type())) {
        return CodeBlock.of("$L = $L", ExprPrinter.print(st.target()), ExprPrinter.print(
            new Expr.Cast(st.target().type(), new Expr.Binary(st.op().binary, st.target(),
                st.value(), st.value().type()), true)));
      }
      return CodeBlock.of("$L $L $L", ExprPrinter.print(st.target()), st.op().symbol,
          ExprPrinter.print(st.value()));
    }
    if (s instanceof Stmt.Eval e) {
      return ExprPrinter.print(e.expr());
    }
    if (s instanceof Stmt.Declare d) {
      return CodeBlock.of("$T $N = $L", typeName(d.var().type()), d.var().name(),
          ExprPrinter.print(d.init()));
    }
    throw new IllegalArgumentException("not a statement expression: " + s);
  }

  /** True for a compound assignment whose operation is wider than its target. */
  private static boolean narrows(AssignOp op, Type target, Type value) {
    return op != AssignOp.SET && op.binary.precedence != 10 && target.isNumeric()
        && value.isNumeric() && !Type.promote(target, value).equals(target);
  }

  private static void printLoop(Stmt.Loop l, CodeBlock.Builder out) {
    CodeBlock cond = ExprPrinter.print(l.condition());
    if (!l.testFirst()) {
      out.beginControlFlow("do");
      print(l.body(), out);
      out.endControlFlow("while ($L)", cond);
      return;
    }
    if (l.update().isEmpty()) {
      print(l.init(), out);
      out.beginControlFlow("while ($L)", cond);
    } else {
      CodeBlock init = l.init().stream().map(StmtPrinter::statementExpression)
          .collect(CodeBlock.joining(", "));
      CodeBlock update = l.update().stream().map(StmtPrinter::statementExpression)
          .collect(CodeBlock.joining(", "));
      out.beginControlFlow("for ($L; $L; $L)", init, cond, update);
    }
    print(l.body(), out);
    out.endControlFlow();
  }

  static TypeName typeName(Type t) {
    if (t.prim() == Type.Prim.REFERENCE) {
      return ClassName.bestGuess(t.className());
    }
    TypeName base = switch (t.prim()) {
      case DOUBLE -> TypeName.DOUBLE;
      case FLOAT -> TypeName.FLOAT;
      case LONG -> TypeName.LONG;
      case INT -> TypeName.INT;
      case SHORT -> TypeName.SHORT;
      case BYTE -> TypeName.BYTE;
      case CHAR -> TypeName.CHAR;
      case BOOLEAN -> TypeName.BOOLEAN;
      case REFERENCE -> throw new IllegalArgumentException("reference type " + t);
    };
    for (int i = 0; i < t.dims(); i++) {
      base = com.palantir.javapoet.ArrayTypeName.of(base);
    }
    return base;
  }
}
