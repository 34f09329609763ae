package dev.adjoint.processor.backend;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.UnaryOp;
import java.util.List;

/**
 * A conservative estimate of the bytecode javac emits for IR statements, so that the back end
 * can keep every generated method below the JVM's limit of 65,535 bytes of code per method.
 *
 * <p>Each node costs at least what javac spends on it in a large method: a local variable
 * access is a {@code wide} load or store (4 bytes) or, in the parts of a split method, a field
 * access (up to 5), jumps are the 5- and 8-byte forms javac falls back to in methods over 32 KB,
 * and every constant takes an {@code ldc} (3). Measured on generated gradients, javac's real
 * code is 45-65% of the estimate (see {@code LargeMethodTest}).
 */
final class BytecodeSize {
  /** Loading or storing a variable: {@code wide dload n}, or {@code aload; getfield #f}. */
  private static final int VARIABLE = 5;
  /** A {@code goto_w}. */
  private static final int JUMP = 5;
  /** A conditional jump in a method over 32 KB: the inverted test over a {@code goto_w}. */
  private static final int BRANCH = 8;
  /** {@code ldc2_w}, {@code getstatic}, {@code invokestatic}, {@code getfield}, .... */
  private static final int CONSTANT_POOL_OP = 3;

  private BytecodeSize() {}

  /** The estimated size in bytes of the code of {@code stmts}. */
  static int of(List<Stmt> stmts) {
    int n = 0;
    for (Stmt s : stmts) {
      n += of(s);
    }
    return n;
  }

  /** The estimated size in bytes of the code of {@code s}, nested blocks included. */
  static int of(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init() == null ? 0 : of(d.init()) + VARIABLE;
    }
    if (s instanceof Stmt.Assign a) {
      // Compound: load, operate, convert back, store; an increment is an iinc or a field update.
      return a.op() == AssignOp.SET ? of(a.value()) + VARIABLE
          : VARIABLE + of(a.value()) + 3 + VARIABLE;
    }
    if (s instanceof Stmt.Store st) {
      // array, index, (dup2, load element,) value, (operate, convert,) store element
      return of(st.target().array()) + of(st.target().index()) + of(st.value())
          + (st.op() == AssignOp.SET ? 1 : 6);
    }
    if (s instanceof Stmt.Eval e) {
      return of(e.expr()) + 1; // the discarded result's pop
    }
    if (s instanceof Stmt.If i) {
      return condition(i.condition()) + of(i.then()) + JUMP + of(i.otherwise());
    }
    if (s instanceof Stmt.Loop l) {
      return of(l.init()) + condition(l.condition()) + JUMP + of(l.body()) + of(l.update())
          + JUMP;
    }
    if (s instanceof Stmt.Return r) {
      return of(r.value()) + 1;
    }
    if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
      return JUMP;
    }
    if (s instanceof Stmt.CallPart c) {
      return VARIABLE + args(c.args()) + CONSTANT_POOL_OP; // the receiver, or this
    }
    return 0; // comments and blank lines
  }

  /** A condition compiled as jumps: its value's code and one conditional jump per test. */
  private static int condition(Expr e) {
    return of(e) + BRANCH;
  }

  /** The estimated size in bytes of the code that pushes the value of {@code e}. */
  static int of(Expr e) {
    int size = own(e);
    for (Expr operand : e.operands()) {
      size += of(operand);
    }
    return size;
  }

  /** The code of {@code e} besides the code of its operands. */
  private static int own(Expr e) {
    if (e instanceof Expr.Const || e instanceof Expr.StaticField) {
      return CONSTANT_POOL_OP;
    }
    if (e instanceof Expr.Read) {
      return VARIABLE;
    }
    if (e instanceof Expr.Null) {
      return 1;
    }
    if (e instanceof Expr.Unary u) {
      // ! is a test and two constants; - one instruction; ~x is x ^ -1 (ldc2_w, lxor for long).
      return u.op() == UnaryOp.NOT ? BRANCH + 2 + JUMP : 4;
    }
    if (e instanceof Expr.Binary b) {
      if (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR || b.op().isComparisonOrLogical()) {
        // compare (dcmpl), test, push 0 or 1, jump over the other constant
        return 1 + 2 * BRANCH + 2 + JUMP;
      }
      return 3; // the operation, and a conversion of an operand
    }
    if (e instanceof Expr.Cast) {
      return 2; // l2i then i2b is the longest conversion
    }
    if (e instanceof Expr.Conditional) {
      return BRANCH + JUMP + 2; // the condition's jump, the jump over the other branch
    }
    if (Exprs.staticCallArguments(e) != null) {
      return CONSTANT_POOL_OP;
    }
    if (e instanceof Expr.Component) {
      return CONSTANT_POOL_OP;
    }
    if (e instanceof Expr.Print p) {
      // getstatic of the stream; a concatenation (invokedynamic) or boxing per argument, an
      // array for printf's; the call
      return CONSTANT_POOL_OP + p.args().size() * (CONSTANT_POOL_OP + 4) + CONSTANT_POOL_OP;
    }
    if (e instanceof Expr.NewAccumulator || e instanceof Expr.NewRecord) {
      return CONSTANT_POOL_OP + 1 + CONSTANT_POOL_OP; // new, dup, <init>
    }
    if (e instanceof Expr.RuntimeCall c) {
      // invokevirtual on a receiver, or invokestatic; a conversion of the result
      return (c.receiver() != null ? VARIABLE : 0) + CONSTANT_POOL_OP + 2;
    }
    if (e instanceof Expr.Field) {
      return VARIABLE + CONSTANT_POOL_OP;
    }
    if (e instanceof Expr.Index || e instanceof Expr.Length) {
      return 1;
    }
    if (e instanceof Expr.NewArray n) {
      // newarray, anewarray or multianewarray; or for an initialiser, the array, then a dup,
      // the index and a store around each element
      return n.elements() == null ? 4
          : CONSTANT_POOL_OP + 3 + n.elements().size() * (1 + CONSTANT_POOL_OP + 1);
    }
    throw new IllegalArgumentException("unknown expression " + e);
  }

  private static int args(List<Expr> args) {
    int n = 0;
    for (Expr a : args) {
      n += of(a);
    }
    return n;
  }
}
