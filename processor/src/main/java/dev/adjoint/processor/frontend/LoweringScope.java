package dev.adjoint.processor.frontend;

import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What statement and expression lowering share while one method is lowered: the variables in
 * scope, the names taken, the row aliases, how deep in loops and blocks lowering is, the
 * declarations waiting to go before the current statement, and the problems found so far.
 */
final class LoweringScope {
  final List<Problem> problems = new ArrayList<>();
  /** Variables in scope by source name, one frame per block (Java forbids shadowing locals). */
  private final Deque<Map<String, Var>> frames = new ArrayDeque<>();
  /** Names of every variable declared so far (a set: methods may declare thousands). */
  final Set<String> declaredNames = new HashSet<>();
  /** The names the method body assigns a whole value ({@code name = ...}), found once. */
  final Set<String> reassignedNames = new HashSet<>();
  NameResolver resolver;
  Type returnType;
  final NameAllocator names = new NameAllocator();
  /** Simple names of classes generated code refers to, which no variable may take. */
  final Set<String> hiddenTypes = new HashSet<>();
  /** For array locals that alias a row of another array: the variable that owns the storage. */
  final Map<Var, Var> aliasRoots = new HashMap<>();
  /**
   * Row aliases ({@code double[] row = w[k]}) stand for {@code w[rowIndex]}: the alias is
   * replaced by the row it names, with its index kept in an int local, so that the reverse
   * sweep addresses {@code dW[rowIndex]} wherever the alias was declared (branches, any loop).
   */
  final Map<Var, Expr> aliasExprs = new HashMap<>();
  SourceText sourceText;
  /** The local a {@code yield} assigns: the value of the innermost switch expression. */
  Var yieldTarget;
  /** The values the cases of the innermost switch expression yield, which give its type. */
  List<Expr> yieldValues;
  int loopDepth;
  /** Depth of blocks below the method body (0 at its top level). */
  int nesting;
  /**
   * True while a loop's condition or update is lowered: an array-valued call there runs on
   * every test, so its result cannot be bound to a local of the body.
   */
  boolean inLoopHeader;
  /**
   * Whole-array aliases ({@code float[] h = x}, {@code h = x}): the alias, the array it shares,
   * and where. Neither may have its elements assigned (checked once the method is lowered).
   */
  final List<ValueAlias> valueAliases = new ArrayList<>();

  /** {@code alias} refers to the same array as {@code source} from {@code path} on. */
  record ValueAlias(Var alias, Var source, TreePath path) {}

  /** Whether a copy ({@code clone()}, {@code Arrays.copyOf}) may be lowered now. */
  boolean copyAllowed;
  /** The copy the declaration being lowered initialises its array with, or null. */
  CopyRequest copyRequest;

  /** Copy the first {@code length} elements of {@code source} (all that it has, at most). */
  record CopyRequest(Expr source, Expr length) {}

  /** Declarations to insert before the statement being lowered (call-result temporaries). */
  final List<Stmt> pending = new ArrayList<>();
  /** For a void method, the source name of its out-parameter (see OutParameters), else null. */
  String outParameter;
  /** For a void method, the variable holding its out-parameter's values after the body so far. */
  Var outValues;
  /**
   * Calls of void helpers inside loops and branches, {@code Eval(call)}, which must be inlined
   * (see {@code CallInlining}), with the problem to report where one cannot be.
   */
  final Map<Stmt, Problem> inPlaceCalls = new java.util.IdentityHashMap<>();
  /** Whether a void method's out-parameter is written in place, not in a copy (inlining). */
  boolean outInPlace;
  /** Arguments whose derivative a callee would drop, checked once the method is lowered. */
  final DroppedDerivatives dropped = new DroppedDerivatives();

  /** Records in scope by source name (parameters, locals), one frame per block. */
  private final Deque<Map<String, RecordValue>> recordFrames = new ArrayDeque<>();
  /** The receiver of an instance method of a record, replaced by its components; else null. */
  RecordValue self;
  /** javac's element utilities (to tell a record's own constructors from the implicit one). */
  javax.lang.model.util.Elements elements;
  /** javac's trees, to resolve what a name or call refers to. */
  com.sun.source.util.Trees trees;
  /**
   * Whether a record read from a class file has the implicit canonical constructor, which
   * {@link #elements} cannot tell (see {@link ClassFileRecords}); false when unknown.
   */
  java.util.function.Predicate<javax.lang.model.element.TypeElement> plainClassFileRecord =
      r -> false;
  /** For a method returning a record: its shape, else null. */
  dev.adjoint.processor.ir.RecordShape recordResultShape;
  /** For a method returning a record: the leaves of its seed parameter. */
  List<Var> recordSeedLeaves;
  /** For a method returning a record: what its return keeps, once lowered. */
  dev.adjoint.processor.ir.RecordResult recordResult;
  /** For the leaves of records: how the user reads them ({@code p.w1()}), for messages. */
  final Map<Var, String> leafText = new HashMap<>();

  /** Opens a frame for the variables of a block. */
  void enterBlock() {
    frames.push(new HashMap<>());
    recordFrames.push(new HashMap<>());
  }

  /** Closes the innermost block's frame. */
  void exitBlock() {
    frames.pop();
    recordFrames.pop();
  }

  /** Makes {@code name} stand for record {@code value} in the innermost block. */
  void bindRecord(String name, RecordValue value) {
    recordFrames.peek().put(name, value);
  }

  /** The record variable {@code name} in scope, or null. */
  RecordValue lookupRecord(String name) {
    for (Map<String, RecordValue> frame : recordFrames) {
      RecordValue v = frame.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  void define(Var v) {
    frames.peek().put(v.sourceName(), v);
    declaredNames.add(v.name());
  }

  /** Makes {@code name} stand for {@code v} in the innermost block. */
  void bind(String name, Var v) {
    frames.peek().put(name, v);
  }

  Var lookup(String name) {
    for (Map<String, Var> frame : frames) {
      Var v = frame.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  String uniqueName(String name) {
    // Names were all reserved up front; the first declaration keeps its name.
    boolean taken = hiddenTypes.contains(name) || declaredNames.contains(name);
    return taken ? names.allocate(name) : name;
  }

  /** The variable that owns the storage an array expression refers to, or null. */
  Var rootOf(Expr array) {
    if (array instanceof Expr.Index i) {
      return rootOf(i.array());
    }
    if (array instanceof Expr.Read r) {
      Var alias = aliasRoots.get(r.var());
      return alias != null ? alias : r.var();
    }
    return null;
  }

  /** Variables the statements added to {@link #pending} since {@code mark} assign. */
  Set<Var> writtenSince(int mark) {
    return Uses.assigned(pending.subList(mark, pending.size()));
  }

  /**
   * True when the statements added to {@link #pending} since {@code mark} do more than bind
   * values to fresh locals: assignments, {@code ++}, switch expressions.
   */
  boolean effectsSince(int mark) {
    for (Stmt s : pending.subList(mark, pending.size())) {
      if (!(s instanceof Stmt.Declare)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code e}, evaluated where {@link #pending} had {@code mark} statements: when a statement
   * added since then assigns something {@code e} reads, {@code e} is saved in a fresh local
   * declared at {@code mark} (Java evaluates operands left to right, so {@code x + (x = 5)}
   * adds the old {@code x}). Array-valued expressions are kept, their indices saved.
   */
  Expr stable(Expr e, int mark) {
    if (pending.size() == mark) {
      return e;
    }
    return stable(e, writtenSince(mark), mark);
  }

  /** As {@link #stable(Expr, int)} for the target of an element store. */
  Expr.Index stableTarget(Expr.Index target, int mark) {
    if (pending.size() == mark) {
      return target;
    }
    Set<Var> written = writtenSince(mark);
    return new Expr.Index(stable(target.array(), written, mark),
        stable(target.index(), written, mark), target.type());
  }

  private Expr stable(Expr e, Set<Var> written, int mark) {
    if (e instanceof Expr.Const) {
      return e;
    }
    if (e.type().dims() > 0) {
      return e instanceof Expr.Index i ? new Expr.Index(stable(i.array(), written, mark),
          stable(i.index(), written, mark), i.type()) : e;
    }
    if (java.util.Collections.disjoint(Uses.all(e), written)) {
      return e;
    }
    return saveAt(mark, e, e instanceof Expr.Read r ? r.var().sourceName() + "Old" : "t");
  }

  /** Declares a fresh local holding {@code e} at position {@code mark} of {@link #pending}. */
  Expr saveAt(int mark, Expr e, String base) {
    Var t = new Var(uniqueName(names.allocate(base)), base, e.type(), Var.Kind.LOCAL);
    declaredNames.add(t.name());
    pending.add(mark, new Stmt.Declare(t, e, Source.NONE));
    return new Expr.Read(t);
  }

  /**
   * Checks the value an array variable is declared or assigned with: a fresh array (a new
   * array, an initialiser, a call's result), in loops and branches too, or another array
   * variable or a row of one, which it then shares ({@link #valueAliases}).
   */
  boolean checkArrayValue(TreePath path, Var v, Expr value) {
    if (value instanceof Expr.NewArray || value instanceof Expr.DiffCall
        || value instanceof Expr.CustomCall) {
      return true;
    }
    Var shared = value instanceof Expr.Read || value instanceof Expr.Index ? rootOf(value) : null;
    if (shared != null && value.type().dims() > 0) {
      valueAliases.add(new ValueAlias(v, shared, path));
      return true;
    }
    problem(path, Message.ARRAY_ALIAS, v.sourceName(), v.sourceName());
    return false;
  }

  /** Removes and returns the bindings of array-valued call arguments lowered so far. */
  List<Stmt> takePending() {
    List<Stmt> taken = new ArrayList<>(pending);
    pending.clear();
    return taken;
  }

  void problem(TreePath path, Message message, Object... args) {
    problems.add(Problem.at(path, message, args));
  }

  /** Reports a problem and returns a placeholder of {@code type} so that lowering goes on. */
  Expr unsupported(TreePath path, Type type, Message message, Object... args) {
    problem(path, message, args);
    return new Expr.Const(0.0, type == null ? Type.DOUBLE : type);
  }

  /** Inserts the implicit conversion javac applies when {@code e} is used as {@code type}. */
  static Expr coerce(Expr e, Type type) {
    if (type == null || e.type() == null || e.type().equals(type)) {
      return e;
    }
    if (!type.isNumeric() || !e.type().isNumeric()) {
      return e;
    }
    return Exprs.convert(e, type);
  }

  /** A tree kind as words, for messages: {@code "labeled statement"}. */
  static String describe(Tree.Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
