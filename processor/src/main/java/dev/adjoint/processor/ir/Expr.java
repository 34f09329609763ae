package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Expressions of the IR: pure, typed, and free of side effects by construction.
 *
 * <p>Every node lists its {@link #operands()} and can be rebuilt with new ones
 * ({@link #withOperands}): passes that only need to reach or rewrite the sub-expressions walk
 * them through these two methods (see {@link Exprs#children}), so a new kind of node, which
 * cannot compile without them, is never skipped silently.
 */
public sealed interface Expr {
  /** The Java type of the value. */
  Type type();

  /**
   * The sub-expressions this node evaluates, in Java's evaluation order (a receiver, which is a
   * variable, is not among them: see {@link #receiver()}).
   */
  List<Expr> operands();

  /** This node with {@code operands} (as many as {@link #operands()}, in order) in their place. */
  Expr withOperands(List<Expr> operands);

  /** The variable whose member this node calls or reads, or null. */
  default Var receiver() {
    return null;
  }

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

    @Override
    public List<Expr> operands() {
      return List.of();
    }

    @Override
    public Expr withOperands(List<Expr> operands) {
      return this;
    }
  }

  /** A read of a variable. */
  record Read(Var var) implements Expr {
    @Override
    public Type type() {
      return var.type();
    }

    @Override
    public List<Expr> operands() {
      return List.of();
    }

    @Override
    public Expr withOperands(List<Expr> operands) {
      return this;
    }
  }

  /** A read of a static field, such as {@code Math.PI}; treated as a constant. */
  record StaticField(String owner, String name, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of();
    }

    @Override
    public Expr withOperands(List<Expr> operands) {
      return this;
    }
  }

  /** A unary operation. */
  record Unary(UnaryOp op, Expr operand, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of(operand);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Unary(op, o.get(0), type);
    }
  }

  /** A binary operation; both operands are already promoted to the operation's operand type. */
  record Binary(BinaryOp op, Expr left, Expr right, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of(left, right);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Binary(op, o.get(0), o.get(1), type);
    }
  }

  /**
   * A primitive conversion. {@code explicit} casts were written by the user (or are narrowing)
   * and are always printed; implicit widenings are left for javac to insert again.
   */
  record Cast(Type type, Expr operand, boolean explicit) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of(operand);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Cast(type, o.get(0), explicit);
    }
  }

  /** The {@code c ? a : b} operator. */
  record Conditional(Expr condition, Expr ifTrue, Expr ifFalse, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of(condition, ifTrue, ifFalse);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Conditional(o.get(0), o.get(1), o.get(2), type);
    }
  }

  /**
   * A call of a static method of the JDK with a known derivative rule (or a non-differentiable
   * result), such as {@code Math.sin}.
   */
  record LibraryCall(String owner, String name, List<Expr> args, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new LibraryCall(owner, name, List.copyOf(o), type);
    }
  }

  /**
   * A print for debugging, the expression of a {@link Stmt.Eval} of the user's code:
   * {@code System.out.println(args)} ({@code stream} is {@code out} or {@code err},
   * {@code method} {@code println}, {@code print}, {@code printf} or {@code format}). It runs
   * where the user's code runs, once: in a gradient's forward sweep (never its reverse sweep), in
   * the value and forward-mode forms; it carries no derivative. Its arguments are numbers,
   * booleans and chars, String literals and parameters, enum parameters, and {@code +}
   * concatenations of them ({@link Binary} of type {@link Type#STRING}).
   */
  record Print(String stream, String method, List<Expr> args) implements Expr {
    @Override
    public Type type() {
      return Type.VOID;
    }

    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Print(stream, method, List.copyOf(o));
    }
  }

  /** A call of a {@code @Differentiable} method, whose generated gradient is used in reverse. */
  record DiffCall(Callee callee, List<Expr> args, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new DiffCall(callee, List.copyOf(o), type);
    }
  }

  /** A call of a function with a hand-written derivative ({@code @DerivativeOf}). */
  record CustomCall(Pullback pullback, List<Expr> args, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new CustomCall(pullback, List.copyOf(o), type);
    }
  }

  /**
   * A call of a pullback in generated code: the function's arguments, the seed, then one buffer
   * per differentiable array parameter ({@code null} when that derivative is not needed).
   */
  record PullbackCall(Pullback pullback, List<Expr> args, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new PullbackCall(pullback, List.copyOf(o), type);
    }
  }

  /** The {@code null} literal, passed for a pullback buffer nobody needs. */
  record Null(Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of();
    }

    @Override
    public Expr withOperands(List<Expr> operands) {
      return this;
    }
  }

  /** A call of the generated gradient method of {@code callee}: yields its result record. */
  record GradCall(Callee callee, List<Expr> args) implements Expr {
    @Override
    public Type type() {
      return Type.reference(callee.gradClass() + "." + callee.recordName());
    }

    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new GradCall(callee, List.copyOf(o));
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

    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new AccumulatingCall(callee, List.copyOf(o));
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

    @Override
    public List<Expr> operands() {
      return buffers;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new NewAccumulator(callee, List.copyOf(o));
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

    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new NewRecord(packageName, className, List.copyOf(o));
    }
  }

  /** A record component accessor, {@code record.name()}. */
  record Component(Expr record, String name, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of(record);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Component(o.get(0), name, type);
    }
  }

  /**
   * A call into the Adjoint runtime from generated code: {@code receiver.name(args)}, or the
   * static {@code dev.adjoint.<owner>.name(args)} when {@code receiver} is null.
   */
  record RuntimeCall(Var receiver, String owner, String name, List<Expr> args, Type type)
      implements Expr {
    @Override
    public List<Expr> operands() {
      return args;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new RuntimeCall(receiver, owner, name, List.copyOf(o), type);
    }
  }

  /** A field of a generated object, {@code receiver.name} (the gradient accumulator). */
  record Field(Var receiver, String name, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of();
    }

    @Override
    public Expr withOperands(List<Expr> operands) {
      return this;
    }
  }

  /** An array element (or, for 2-D arrays, a row): {@code array[index]}. */
  record Index(Expr array, Expr index, Type type) implements Expr {
    @Override
    public List<Expr> operands() {
      return List.of(array, index);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Index(o.get(0), o.get(1), type);
    }
  }

  /** {@code array.length}. */
  record Length(Expr array) implements Expr {
    @Override
    public Type type() {
      return Type.INT;
    }

    @Override
    public List<Expr> operands() {
      return List.of(array);
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new Length(o.get(0));
    }
  }

  /**
   * An array creation: {@code new double[n][m]} ({@code dims} given, {@code elements} null) or an
   * initialiser {@code {a, b}} ({@code elements} given, {@code dims} empty).
   */
  record NewArray(Type type, List<Expr> dims, List<Expr> elements) implements Expr {
    @Override
    public List<Expr> operands() {
      if (elements == null) {
        return dims;
      }
      List<Expr> all = new ArrayList<>(dims);
      all.addAll(elements);
      return all;
    }

    @Override
    public Expr withOperands(List<Expr> o) {
      return new NewArray(type, List.copyOf(o.subList(0, dims.size())), elements == null ? null
          : List.copyOf(o.subList(dims.size(), o.size())));
    }
  }
}
