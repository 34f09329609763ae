package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.convert;
import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.NonFinite;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.OperatorRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The adjoint code of one declaration, assignment or element store: the chain rule through its
 * right-hand side ({@link Propagation}), and the reset or scaling of the target's adjoint that
 * the overwrite implies. Compound forms ({@code v += e}, {@code v = v * e}) get the short rules
 * hand-written gradients use; a right-hand side reading its own target goes the general way.
 */
final class StatementAdjoints {
  private final AdjointContext ctx;
  private final Propagation prop;
  private final Activity activity;
  private final NonFinite nonFinite;
  private final Recording recording;

  StatementAdjoints(AdjointContext ctx, Propagation prop, Recording recording) {
    this.ctx = ctx;
    this.prop = prop;
    this.recording = recording;
    this.activity = ctx.activity;
    this.nonFinite = ctx.nonFinite;
  }

  /** The reverse of {@code T v = init}: the adjoint of {@code v} flows into {@code init}. */
  void declaration(Stmt.Declare d, List<Stmt> out) {
    Var v = d.var();
    // An array declared as a row of another has that row of the other's adjoint as its own
    // adjoint (see AdjointDeclarations): the contributions are already there.
    if (d.init() != null && activity.isActive(v) && activity.isUseful(d)
        && !(d.init() instanceof Expr.Index
        && v.type().dims() > 0)) {
      if (v.type().dims() > 0) {
        prop.array(d.init(), read(ctx.adjoint(v)), null, out);
      } else {
        List<Stmt> pullback = new ArrayList<>();
        if (recording.reusesOwnValue(d)) {
          // The derivative reads the value just declared instead of calling again.
          prop.libraryCall((Expr.LibraryCall) d.init(), read(v), read(ctx.adjoint(v)), pullback);
        } else {
          prop.scalar(d.init(), read(ctx.adjoint(v)), pullback);
        }
        Guards.add(read(ctx.adjoint(v)), nonFinite.partialsCanBeNonFinite(d.init()), pullback,
            out);
      }
    }
  }

  /** The reverse of {@code v op= e}, whose old value is restored; nothing for an inactive v. */
  void assignment(Stmt.Assign a, List<Stmt> out) {
    if (a.target().type().dims() > 0) {
      // Even when nothing flows back, the old array's adjoint must have the old array's shape.
      if (activity.isActive(a.target())) {
        arrayAssignment(a, out);
      }
      return;
    }
    if (!activity.isActive(a.target()) || !activity.isUseful(a)) {
      return;
    }
    List<Stmt> pullback = new ArrayList<>();
    assignmentPullback(a, pullback);
    Guards.add(read(ctx.adjoint(a.target())), nonFinite.partialsCanBeNonFinite(
        a.op() == AssignOp.SET ? a.value() : new Expr.Binary(a.op().binary, read(a.target()),
            a.value(), a.target().type())), pullback, out);
  }

  /**
   * The reverse of {@code h = e} for an array {@code h}, whose old array is restored by now:
   * the adjoint of the new array flows into {@code e}, and the old array gets a zeroed adjoint
   * of its own shape (layers change width), which {@code e} may add to ({@code h = relu(h)}).
   */
  private void arrayAssignment(Stmt.Assign a, List<Stmt> out) {
    Var v = a.target();
    Var dv = ctx.adjoint(v);
    if (!activity.isActive(a.value()) || !activity.isUseful(a)) {
      // A new array (or an inactive one): nothing flows back, the old array starts at zero.
      out.add(new Stmt.Assign(dv, AssignOp.SET, AdjointDeclarations.scratchLike(ctx, v),
          Source.NONE));
      return;
    }
    Var next = ctx.newVar(dv.name() + "New", dv.type());
    out.add(new Stmt.Declare(next, read(dv), Source.NONE));
    Expr adjoint = AdjointDeclarations.scratchLike(ctx, v);
    Expr inactive = ctx.adjointMayBeNull(v);
    if (inactive != null) {
      // h = relu(dense(h, ...)) on the first layer, where h is the batch: no buffer to zero,
      // the pullback gets null for it (see Propagation.pullback)
      adjoint = new Expr.Conditional(inactive, new Expr.Null(v.type()), adjoint, v.type());
    }
    out.add(new Stmt.Assign(dv, AssignOp.SET, adjoint, Source.NONE));
    prop.array(a.value(), read(next), null, out);
  }

  private void assignmentPullback(Stmt.Assign a, List<Stmt> out) {
    Var v = a.target();
    Var dv = ctx.adjoint(v);
    Expr e = a.value();
    AssignOp op = a.op();
    // v = v + e, v = e * v, ... read as the compound assignments they are.
    if (op == AssignOp.SET && e instanceof Expr.Binary b && isRead(b.left(), v)
        && compound(b.op()) != null && !Uses.differentiable(b.right()).contains(v)) {
      op = compound(b.op());
      e = b.right();
    } else if (op == AssignOp.SET && e instanceof Expr.Binary b && isRead(b.right(), v)
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.MUL)
        && !Uses.differentiable(b.left()).contains(v)) {
      op = compound(b.op());
      e = b.left();
    }
    boolean selfReference = Uses.differentiable(e).contains(v);
    if (!selfReference) {
      switch (op) {
        case SET -> {
          prop.scalar(e, read(dv), out);
          out.add(new Stmt.Assign(dv, AssignOp.SET, constant(0, dv.type()), Source.NONE));
          return;
        }
        case ADD, SUB -> {
          prop.scalar(e, OperatorRules.right(binary(op, read(v), e), read(dv)), out);
          return;
        }
        case MUL, DIV -> {
          // v op= e: the adjoint flows into e by op's rule, and is then scaled in place by the
          // partial with respect to v's old value (e for MUL, 1 / e for DIV).
          Expr.Binary b = binary(op, read(v), e);
          prop.scalar(e, OperatorRules.right(b, read(dv)), out);
          scale(dv, b, out);
          return;
        }
        default -> { }
      }
    }
    // General case: the adjoint of the new value flows through the whole right-hand side,
    // which may read the variable's old value.
    Var next = ctx.newVar(dv.name() + "New", dv.type());
    out.add(new Stmt.Declare(next, read(dv), Source.NONE));
    out.add(new Stmt.Assign(dv, AssignOp.SET, constant(0, dv.type()), Source.NONE));
    prop.scalar(Recording.asExpression(a), read(next), out);
  }

  private static boolean isRead(Expr e, Var v) {
    return e instanceof Expr.Read r && r.var() == v;
  }

  private static AssignOp compound(BinaryOp op) {
    return switch (op) {
      case ADD -> AssignOp.ADD;
      case SUB -> AssignOp.SUB;
      case MUL -> AssignOp.MUL;
      case DIV -> AssignOp.DIV;
      default -> null;
    };
  }

  /**
   * The reverse of {@code a[i] op= e}, whose old element is restored; nothing unless the array
   * is active and its elements floating.
   */
  void store(Stmt.Store st, List<Stmt> out) {
    if (!(activity.isActive(Uses.storeBase(st)) && st.target().type().isFloating())
        || !activity.isUseful(st)) {
      return;
    }
    Expr.Index target = st.target();
    Expr.Index adjoint = new Expr.Index(ctx.adjointArray(target.array()), target.index(),
        target.type());
    List<Stmt> pullback = new ArrayList<>();
    storePullback(st, adjoint, pullback);
    Guards.add(adjoint, nonFinite.partialsCanBeNonFinite(st.op() == AssignOp.SET ? st.value()
        : new Expr.Binary(st.op().binary, st.target(), st.value(), st.target().type())),
        pullback, out);
  }

  private void storePullback(Stmt.Store st, Expr.Index adjoint, List<Stmt> out) {
    Expr.Index target = st.target();
    Var root = Uses.storeBase(st);
    boolean readsArray = Uses.differentiable(st.value()).contains(root);
    if (!readsArray) {
      switch (st.op()) {
        case SET -> {
          prop.scalar(st.value(), adjoint, out);
          out.add(new Stmt.Store(adjoint, AssignOp.SET, constant(0, adjoint.type()),
              Source.NONE));
          return;
        }
        case ADD, SUB -> {
          prop.scalar(st.value(), OperatorRules.right(binary(st.op(), target, st.value()),
              adjoint), out);
          return;
        }
        default -> { }
      }
    }
    Var next = ctx.newVar(ctx.adjoint(root).name() + "New", adjoint.type());
    out.add(new Stmt.Declare(next, adjoint, Source.NONE));
    out.add(new Stmt.Store(adjoint, AssignOp.SET, constant(0, adjoint.type()), Source.NONE));
    prop.scalar(Recording.asExpression(st), read(next), out);
  }

  /** {@code target op value}, the expression a compound assignment computes. */
  private static Expr.Binary binary(AssignOp op, Expr target, Expr value) {
    return new Expr.Binary(op.binary, target, value, Type.promote(target.type(), value.type()));
  }

  /**
   * {@code dv *= e} or {@code dv /= e} for {@code b = v * e} or {@code v / e}: the adjoint times
   * the partial with respect to {@code v}, with an explicit cast when the types differ.
   */
  private static void scale(Var dv, Expr.Binary b, List<Stmt> out) {
    Expr e = b.right();
    if (e.type().equals(dv.type())) {
      out.add(new Stmt.Assign(dv, b.op() == BinaryOp.MUL ? AssignOp.MUL : AssignOp.DIV, e,
          Source.NONE));
    } else {
      out.add(new Stmt.Assign(dv, AssignOp.SET,
          convert(OperatorRules.left(b, read(dv)), dv.type()), Source.NONE));
    }
  }
}
