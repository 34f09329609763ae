package dev.adjoint.processor.backend;

import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a generated method body that would exceed the 8,000 bytes of code up to which HotSpot
 * compiles a method (it would run interpreted) or the JVM's limit of 65,535 bytes (javac's "code
 * too large"): the gradient of a long function is several times its size.
 *
 * <p>Runs of consecutive statements move into methods of a private nested class, the
 * <em>parts</em>, of about 6,000 bytes each (below the 8,000 bytes up to which HotSpot
 * compiles a method). A branch or loop too large for one part has its
 * blocks split in turn. The variables that code in different methods shares (what a part reads
 * of or writes for the rest) become fields of that class, named like them, so that the parts
 * read like the original code; every other variable stays a local of its method. The method
 * creates one instance and calls the parts on it, passing the parameters each reads. A statement
 * that jumps out of its block ({@code break}, {@code continue}, {@code return}) stays where it
 * is, its blocks split instead. The nested class also keeps the constant pool entries of the
 * fields out of the generated class, which may hold other split gradients.
 *
 * <p>Methods whose estimated size (see {@link BytecodeSize}) is at most
 * {@link Limits#JVM}'s 12,000 (real size below 8,000) are left whole.
 */
final class MethodSplitting {
  /**
   * When to split, in estimated bytes.
   *
   * @param splitAbove the size above which a method is split
   * @param part the size of a part
   */
  record Limits(int splitAbove, int part) {
    /**
     * What the JVM needs: HotSpot never compiles a method of more than 8,000 bytes of code
     * ({@code -XX:HugeMethodLimit}), so a larger gradient would stay interpreted, about four
     * times slower (a 200-statement function: 16 µs per gradient unsplit, 4.2 µs split). The
     * real size is 46 to 62% of the estimate, so 12,000 estimated keeps methods below 8,000.
     */
    static final Limits JVM = new Limits(12_000, 6_000);
  }

  /** What no method may exceed, estimated: below the JVM's limit, with room to spare. */
  static final int MAX_METHOD = 60_000;
  /** What the parts' class may not exceed, estimated: below the JVM's limit of 65,535. */
  static final int MAX_CONSTANTS = 60_000;
  /** The JVM's limit on the parameters of a method, in slots (long and double take two). */
  private static final int MAX_PARAMETER_SLOTS = 255;

  /**
   * A part: a method of the parts' class holding statements moved out of the method.
   *
   * @param name the method name
   * @param params the generated method's parameters the part reads
   * @param body the statements
   * @param estimatedSize their {@linkplain BytecodeSize estimated} code size in bytes
   */
  record Part(String name, List<Var> params, List<Stmt> body, int estimatedSize) {}

  /**
   * A field of the parts' class.
   *
   * @param name the field name
   * @param type its type
   */
  record Field(String name, TypeName type) {}

  /**
   * The result: the method's body and its parts, or the body unchanged ({@code object} null).
   *
   * @param body the method's statements (calls of the parts)
   * @param object the variable holding the parts' object, null when the method was not split
   * @param parts the parts, in the order of their first call
   * @param fields the fields of the parts' class
   * @param outside each variable that became a field, and the variable that prints as its access
   *     from the method ({@code parts.v})
   * @param estimatedSize the estimated code size of the original body
   */
  record Result(List<Stmt> body, Var object, List<Part> parts, List<Field> fields,
      Map<Var, Var> outside, int estimatedSize) {
    /** The name that refers to {@code v} in the method: the field access when it moved. */
    String nameOf(Var v) {
      return outside.getOrDefault(v, v).name();
    }
  }

  private final int partSize;
  private final List<Var> params;
  /** Parameters the body never reassigns: passed to the parts that read them. */
  private final Set<Var> passable = new LinkedHashSet<>();
  /** Every variable of the body, in order of first declaration, with its declaration. */
  private final Map<Var, Stmt.Declare> declarations = new LinkedHashMap<>();
  private final Set<Var> assigned = new HashSet<>();
  private final Var object;
  private final List<Part> parts = new ArrayList<>();

  private MethodSplitting(List<Var> params, List<Stmt> body, int partSize) {
    this.partSize = partSize;
    this.params = params;
    collectDeclarations(body);
    for (Var p : params) {
      if (!assigned.contains(p)) {
        passable.add(p);
      }
    }
    NameAllocator names = new NameAllocator();
    allVariables().forEach(v -> names.reserve(v.name()));
    this.object = new Var(names.allocate("parts"), "parts", Type.reference("Parts"),
        Var.Kind.GENERATED);
  }

  /**
   * Splits {@code body}, the statements of a generated method, when it is too large for one JVM
   * method.
   *
   * @param params the generated method's parameters
   * @param readAfter variables the code after {@code body} reads (the value, the derivatives)
   * @throws GradientTooLarge when some piece of it cannot be made small enough
   */
  static Result split(List<Stmt> body, List<Var> params, Set<Var> readAfter, Limits limits) {
    int size = BytecodeSize.of(body);
    if (size <= limits.splitAbove()) {
      return new Result(body, null, List.of(), List.of(), Map.of(), size);
    }
    MethodSplitting m = new MethodSplitting(params, body, limits.part());
    List<Stmt> main = m.numberInCallOrder(m.outline(body));
    return m.shareVariables(main, readAfter, size);
  }

  // ---------------------------------------------------------------- outlining

  /** {@code block} with runs of its statements moved into parts of about {@code partSize}. */
  private List<Stmt> outline(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    List<Stmt> run = new ArrayList<>();
    int runSize = 0;
    for (Stmt s : block) {
      int size = BytecodeSize.of(s);
      if (size > partSize) {
        s = shrink(s);
        size = BytecodeSize.of(s);
        if (size > MAX_METHOD) {
          long line = line(s);
          throw new GradientTooLarge(line > 0
              ? Message.STATEMENT_TOO_LARGE_AT_LINE.text(line, size)
              : Message.STATEMENT_TOO_LARGE.text(size));
        }
      }
      if (jumpsOut(s, false)) {
        flush(run, out);
        runSize = 0;
        out.add(s);
        continue;
      }
      if (runSize + size > partSize && runSize > 0) {
        // Cut before the comment that opens the last source line's code, if not too early.
        int cut = run.size();
        int before = runSize;
        for (int k = run.size() - 1; k > 0 && before >= partSize / 2; k--) {
          before -= BytecodeSize.of(run.get(k));
          if (run.get(k) instanceof Stmt.Comment && before >= partSize / 2) {
            cut = k;
            break;
          }
        }
        List<Stmt> rest = new ArrayList<>(run.subList(cut, run.size()));
        run.subList(cut, run.size()).clear();
        flush(run, out);
        run.addAll(rest);
        runSize = BytecodeSize.of(run);
      }
      run.add(s);
      runSize += size;
    }
    flush(run, out);
    return out;
  }

  /** The line of the user's code {@code s} comes from, 0 when unknown. */
  private static long line(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.source().line();
    }
    if (s instanceof Stmt.Assign a) {
      return a.source().line();
    }
    if (s instanceof Stmt.Store st) {
      return st.source().line();
    }
    if (s instanceof Stmt.If i) {
      return i.source().line();
    }
    if (s instanceof Stmt.Loop l) {
      return l.source().line();
    }
    return 0;
  }

  /** A branch or loop with its large blocks outlined; other statements unchanged. */
  private Stmt shrink(Stmt s) {
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), smaller(i.then()), smaller(i.otherwise()), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(l.init(), l.condition(), l.update(), smaller(l.body()),
          l.testFirst(), l.source());
    }
    return s;
  }

  /** A nested block, outlined unless small enough to share a part with its siblings. */
  private List<Stmt> smaller(List<Stmt> block) {
    return BytecodeSize.of(block) <= partSize / 2 ? block : outline(block);
  }

  /** Moves {@code run} into a new part called from {@code out}, and clears it. */
  private void flush(List<Stmt> run, List<Stmt> out) {
    int size = BytecodeSize.of(run);
    if (size == 0) {
      out.addAll(run); // comments and blank declarations
    } else {
      Set<Var> free = FreeVariables.of(run);
      List<Var> partParams = passable.stream().filter(free::contains).toList();
      int slots = 1; // this
      for (Var p : partParams) {
        slots += p.type().equals(Type.DOUBLE) || p.type().equals(Type.LONG) ? 2 : 1;
      }
      if (slots > MAX_PARAMETER_SLOTS) {
        throw new GradientTooLarge(
            Message.PARTS_NEED_TOO_MANY_SLOTS.text(MAX_PARAMETER_SLOTS));
      }
      String name = "#" + parts.size(); // until numbered in call order
      parts.add(new Part(name, partParams, List.copyOf(run), size));
      out.add(new Stmt.CallPart(null, name,
          partParams.stream().map(v -> (Expr) new Expr.Read(v)).toList()));
    }
    run.clear();
  }

  /**
   * Names the parts {@code part1, part2, ...} in the order they run (each before the parts it
   * calls) and orders them so; returns {@code main} with the calls renamed.
   */
  private List<Stmt> numberInCallOrder(List<Stmt> main) {
    Map<String, Part> byName = new HashMap<>();
    parts.forEach(p -> byName.put(p.name(), p));
    Map<String, String> names = new HashMap<>();
    List<Part> ordered = new ArrayList<>();
    visitCalls(main, byName, names, ordered);
    parts.clear();
    for (Part p : ordered) {
      parts.add(new Part(names.get(p.name()), p.params(), renameCalls(p.body(), names),
          p.estimatedSize()));
    }
    return renameCalls(main, names);
  }

  private static void visitCalls(List<Stmt> block, Map<String, Part> byName,
      Map<String, String> names, List<Part> ordered) {
    for (Stmt s : Stmt.all(block, false)) {
      if (s instanceof Stmt.CallPart c) {
        Part p = byName.get(c.method());
        ordered.add(p);
        names.put(c.method(), "part" + ordered.size());
        visitCalls(p.body(), byName, names, ordered);
      }
    }
  }

  private static List<Stmt> renameCalls(List<Stmt> block, Map<String, String> names) {
    List<Stmt> out = new ArrayList<>(block.size());
    for (Stmt s : block) {
      if (s instanceof Stmt.CallPart c) {
        out.add(new Stmt.CallPart(c.receiver(), names.get(c.method()), c.args()));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), renameCalls(i.then(), names),
            renameCalls(i.otherwise(), names), i.source()));
      } else if (s instanceof Stmt.Loop l) {
        out.add(new Stmt.Loop(l.init(), l.condition(), l.update(), renameCalls(l.body(), names),
            l.testFirst(), l.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** True when {@code s} contains a jump to a statement outside it. */
  private static boolean jumpsOut(Stmt s, boolean inLoop) {
    if (s instanceof Stmt.Return) {
      return true;
    }
    if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
      return !inLoop;
    }
    if (s instanceof Stmt.If i) {
      return jumpsOut(i.then(), inLoop) || jumpsOut(i.otherwise(), inLoop);
    }
    if (s instanceof Stmt.Loop l) {
      return jumpsOut(l.body(), true);
    }
    return false;
  }

  private static boolean jumpsOut(List<Stmt> block, boolean inLoop) {
    for (Stmt s : block) {
      if (jumpsOut(s, inLoop)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- shared variables

  /**
   * Moves the variables that a method uses without declaring them (other than its parameters)
   * into fields of the parts' class, and checks the sizes against the JVM's limits.
   */
  private Result shareVariables(List<Stmt> main, Set<Var> readAfter, int size) {
    // The method's own scope: its statements, then the reads of the code after them.
    List<Stmt> mainScope = new ArrayList<>(main);
    readAfter.forEach(v -> mainScope.add(new Stmt.Eval(new Expr.Read(v))));
    Set<Var> shared = new HashSet<>(FreeVariables.of(mainScope));
    params.forEach(shared::remove);
    for (Part p : parts) {
      Set<Var> free = FreeVariables.of(p.body());
      p.params().forEach(free::remove);
      shared.addAll(free);
    }

    // Fields in declaration order, named like their variables unless another variable (which a
    // part may declare as a local, hiding the field) has the name.
    List<Var> order = new ArrayList<>(allVariables());
    Map<Var, Integer> rank = new HashMap<>();
    for (int k = 0; k < order.size(); k++) {
      rank.putIfAbsent(order.get(k), k);
    }
    List<Var> sharedInOrder = new ArrayList<>(shared);
    sharedInOrder.sort(Comparator.comparingInt(v -> rank.getOrDefault(v, Integer.MAX_VALUE)));
    NameAllocator names = new NameAllocator();
    for (Var v : order) {
      if (!shared.contains(v)) {
        names.reserve(v.name());
      }
    }
    Map<Var, Var> inside = new LinkedHashMap<>();
    Map<Var, Var> outside = new LinkedHashMap<>();
    List<Field> fields = new ArrayList<>();
    for (Var v : sharedInOrder) {
      String name = names.allocate(v.name());
      fields.add(new Field(name, typeName(v)));
      inside.put(v, new Var(name, v.sourceName(), v.type(), Var.Kind.GENERATED));
      outside.put(v, new Var(object.name() + "." + name, v.sourceName(), v.type(),
          Var.Kind.GENERATED));
    }

    List<Stmt> body = new ArrayList<>();
    for (Var p : params) {
      if (outside.containsKey(p)) { // a reassigned parameter, which the parts read and write
        body.add(new Stmt.Assign(outside.get(p), AssignOp.SET, new Expr.Read(p), Source.NONE));
      }
    }
    body.addAll(SharedFields.rewrite(main, outside, object));
    check(BytecodeSize.of(body), Message.CALLER_OF_PARTS_TOO_LARGE);
    ConstantPoolSize constants = new ConstantPoolSize();
    List<Part> rewritten = new ArrayList<>();
    for (Part p : parts) {
      List<Stmt> partBody = SharedFields.rewrite(p.body(), inside, null);
      int estimated = BytecodeSize.of(partBody);
      check(estimated, Message.PART_TOO_LARGE);
      rewritten.add(new Part(p.name(), p.params(), partBody, estimated));
      constants.method(p.name(), partBody);
    }
    fields.forEach(f -> constants.field(f.name(), f.type()));
    if (constants.entries() > MAX_CONSTANTS) {
      throw new GradientTooLarge(
          Message.PARTS_NEED_TOO_MANY_CONSTANTS.text(constants.entries()));
    }
    return new Result(body, object, rewritten, fields, outside, size);
  }

  private static void check(int size, Message tooLarge) {
    if (size > MAX_METHOD) {
      throw new GradientTooLarge(tooLarge.text(size));
    }
  }

  /** The Java type of a variable, for its field. */
  private TypeName typeName(Var v) {
    Stmt.Declare d = declarations.get(v);
    TypeName generated = d == null ? null : ExprPrinter.generatedType(d.init());
    if (generated != null) {
      return generated;
    }
    return StmtPrinter.typeName(v.type());
  }

  /** The parameters, then the declared variables in order, then any other assigned ones. */
  private Set<Var> allVariables() {
    Set<Var> all = new LinkedHashSet<>(params);
    all.addAll(declarations.keySet());
    all.addAll(assigned);
    return all;
  }

  /** Records each variable's first declaration, and the variables assigned. */
  private void collectDeclarations(List<Stmt> stmts) {
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d) {
        declarations.putIfAbsent(d.var(), d);
      } else if (s instanceof Stmt.Assign a) {
        assigned.add(a.target());
      }
    }
  }
}
