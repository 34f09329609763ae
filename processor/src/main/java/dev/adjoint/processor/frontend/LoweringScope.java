package dev.adjoint.processor.frontend;

import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
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
  int loopDepth;
  /** Depth of blocks below the method body (0 at its top level). */
  int nesting;
  /** Declarations to insert before the statement being lowered (call-result temporaries). */
  final List<Stmt> pending = new ArrayList<>();

  /** Opens a frame for the variables of a block. */
  void enterBlock() {
    frames.push(new HashMap<>());
  }

  /** Closes the innermost block's frame. */
  void exitBlock() {
    frames.pop();
  }

  void define(Var v) {
    frames.peek().put(v.sourceName(), v);
    declaredNames.add(v.name());
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
