package dev.adjoint.processor.ir;

import java.util.List;

/** Expressions of the IR: pure, typed, and free of side effects by construction. */
public sealed interface Expr {
  /** The Java type of the value. */
  Type type();

  /** A literal: a boxed primitive of {@link #type()}. */
  record Const(Object value, Type type) implements Expr {
    public static Const of(double v, Type type) {
      return new Const(switch (type.prim()) {
        case FLOAT -> (float) v;
        case LONG -> (long) v;
        case INT -> (int) v;
        default -> v;
      }, type);
    }

    /** The value as a double (booleans are not numbers and give NaN). */
    public double asDouble() {
      return value instanceof Number n ? n.doubleValue()
          : value instanceof Character c ? c : Double.NaN;
    }
  }

  /** A read of a variable. */
  record Read(Var var) implements Expr {
    @Override
    public Type type() {
      return var.type();
    }
  }

  /** A read of a static field, such as {@code Math.PI}; treated as a constant. */
  record StaticField(String owner, String name, Type type) implements Expr {}

  /** A unary operation. */
  record Unary(UnaryOp op, Expr operand, Type type) implements Expr {}

  /** A binary operation; both operands are already promoted to the operation's operand type. */
  record Binary(BinaryOp op, Expr left, Expr right, Type type) implements Expr {}

  /**
   * A primitive conversion. {@code explicit} casts were written by the user (or are narrowing)
   * and are always printed; implicit widenings are left for javac to insert again.
   */
  record Cast(Type type, Expr operand, boolean explicit) implements Expr {}

  /** The {@code c ? a : b} operator. */
  record Conditional(Expr condition, Expr ifTrue, Expr ifFalse, Type type) implements Expr {}

  /**
   * A call of a static method of the JDK with a known derivative rule (or a non-differentiable
   * result), such as {@code Math.sin}.
   */
  record LibraryCall(String owner, String name, List<Expr> args, Type type) implements Expr {}

  /** A call of a {@code @Differentiable} method, whose generated gradient is used in reverse. */
  record DiffCall(Callee callee, List<Expr> args, Type type) implements Expr {}

  /** A call of a function with a hand-written derivative ({@code @DerivativeOf}). */
  record CustomCall(Pullback pullback, List<Expr> args, Type type) implements Expr {}

  /**
   * A call of a pullback in generated code: the function's arguments, the seed, then one buffer
   * per differentiable array parameter ({@code null} when that derivative is not needed).
   */
  record PullbackCall(Pullback pullback, List<Expr> args, Type type) implements Expr {}

  /** The {@code null} literal, passed for a pullback buffer nobody needs. */
  record Null(Type type) implements Expr {}

  /** A call of the generated gradient method of {@code callee}: yields its result record. */
  record GradCall(Callee callee, List<Expr> args) implements Expr {
    @Override
    public Type type() {
      return Type.reference(callee.gradClass() + "." + callee.recordName());
    }
  }

  /**
   * A call of the accumulating form of {@code callee}: its arguments, then the accumulator (a
   * {@link NewAccumulator} or a variable holding one). Adds the callee's gradient into the
   * accumulator and yields the callee's value.
   */
  record AccumulatingCall(Callee callee, List<Expr> args) implements Expr {
    @Override
    public Type type() {
      return callee.returnType();
    }
  }

  /**
   * A new accumulator of {@code callee}'s gradient over the given buffers, one per
   * differentiable array parameter, in order: {@code new FAccumulator(dW, dB)}.
   */
  record NewAccumulator(Callee callee, List<Expr> buffers) implements Expr {
    @Override
    public Type type() {
      return Type.reference(callee.gradClass() + "." + callee.accumulatorName());
    }
  }

  /**
   * A new generated record, {@code new FJvp(value, tangent)}: what the forward-mode form returns
   * (generated code only). {@code className} is the record's simple names, outermost first,
   * joined by '.' ({@code FooGrad.FJvp}).
   */
  record NewRecord(String packageName, String className, List<Expr> args) implements Expr {
    @Override
    public Type type() {
      return Type.reference(packageName.isEmpty() ? className : packageName + "." + className);
    }
  }

  /** A record component accessor, {@code record.name()}. */
  record Component(Expr record, String name, Type type) implements Expr {}

  /**
   * A call into the Adjoint runtime from generated code: {@code receiver.name(args)}, or the
   * static {@code dev.adjoint.<owner>.name(args)} when {@code receiver} is null.
   */
  record RuntimeCall(Var receiver, String owner, String name, List<Expr> args, Type type)
      implements Expr {}

  /** A field of a generated object, {@code receiver.name} (the gradient accumulator). */
  record Field(Var receiver, String name, Type type) implements Expr {}

  /** An array element (or, for 2-D arrays, a row): {@code array[index]}. */
  record Index(Expr array, Expr index, Type type) implements Expr {}

  /** {@code array.length}. */
  record Length(Expr array) implements Expr {
    @Override
    public Type type() {
      return Type.INT;
    }
  }

  /**
   * An array creation: {@code new double[n][m]} ({@code dims} given, {@code elements} null) or an
   * initialiser {@code {a, b}} ({@code elements} given, {@code dims} empty).
   */
  record NewArray(Type type, List<Expr> dims, List<Expr> elements) implements Expr {}
}
