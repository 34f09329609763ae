package dev.adjoint.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The front end: lowers the body of one {@code @Differentiable} method from javac's attributed
 * trees to the IR, making implicit conversions explicit and giving every local a unique name.
 * Anything outside the supported subset becomes a {@link Problem} on the exact tree; lowering
 * goes on after a problem so that one compilation reports all of them.
 */
public final class MethodLowering {
  private final Trees trees;
  private final Elements elements;
  private final CalleeResolver callees;
  private final List<Problem> problems = new ArrayList<>();
  /** Variables in scope by source name, one frame per block (Java forbids shadowing locals). */
  private final Deque<Map<String, Var>> scopes = new ArrayDeque<>();
  /** Names of every variable declared so far (a set: methods may declare thousands). */
  private final Set<String> declaredNames = new HashSet<>();
  private NameResolver resolver;
  private Type returnType;
  private final NameAllocator names = new NameAllocator();
  /** Simple names of classes generated code refers to, which no variable may take. */
  private final Set<String> hiddenTypes = new HashSet<>();
  /** For array locals that alias a row of another array: the variable that owns the storage. */
  private final Map<Var, Var> aliasRoots = new HashMap<>();
  /**
   * Row aliases ({@code double[] row = w[k]}) stand for {@code w[rowIndex]}: the alias is
   * replaced by the row it names, with its index kept in an int local, so that the reverse
   * sweep addresses {@code dW[rowIndex]} wherever the alias was declared (branches, any loop).
   */
  private final Map<Var, Expr> aliasExprs = new HashMap<>();
  private SourceText sourceText;
  private int loopDepth;
  /** Depth of blocks below the method body (0 at its top level). */
  private int nesting;
  /** Declarations to insert before the statement being lowered (call-result temporaries). */
  private final List<Stmt> pending = new ArrayList<>();
  /** Arguments whose derivative a callee would drop, checked once the method is lowered. */
  private final DroppedDerivatives dropped = new DroppedDerivatives();

  public MethodLowering(Trees trees, Elements elements, CalleeResolver callees) {
    this.trees = trees;
    this.elements = elements;
    this.callees = callees;
  }

  /** Problems found so far; the function must not be generated when this is non-empty. */
  public List<Problem> problems() {
    return problems;
  }

  /** Lowers {@code method}, whose signature has already been validated. */
  public Function lower(ExecutableElement method) {
    TreePath methodPath = trees.getPath(method);
    MethodTree tree = (MethodTree) methodPath.getLeaf();
    sourceText = new SourceText(trees, methodPath.getCompilationUnit());
    resolver = new NameResolver(elements, methodPath.getCompilationUnit(),
        (TypeElement) method.getEnclosingElement());
    returnType = TypeMapping.of(method.getReturnType());
    // Variables named like a class the generated code refers to would hide it there
    // (Tape.get() with a parameter named Tape): such variables are renamed.
    hiddenTypes.addAll(List.of("Tape", "Scratch", "Adjoints", "StopGradient", "Arrays", "Math",
        "StrictMath", "Double", "Float", "Integer", "Long"));
    Element outermost = method.getEnclosingElement();
    while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
      outermost = enclosing;
    }
    hiddenTypes.add(outermost.getSimpleName().toString());
    hiddenTypes.add(GradNames.gradSimpleName((TypeElement) method.getEnclosingElement()));
    hiddenTypes.forEach(names::reserve);
    // Reserve every name the user wrote so that renamed locals never capture one of them.
    for (VariableElement p : method.getParameters()) {
      names.reserve(p.getSimpleName().toString());
    }
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        names.reserve(node.getName().toString());
        return super.visitVariable(node, unused);
      }
    }.scan(tree.getBody(), null);

    scopes.push(new HashMap<>());
    List<Function.Param> params = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.of(p.asType());
      String name = p.getSimpleName().toString();
      Var v = new Var(hiddenTypes.contains(name) ? names.allocate(name) : name, name, t,
          Var.Kind.PARAMETER);
      define(v);
      boolean differentiable = t != null && t.isDifferentiable()
          && !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
      params.add(new Function.Param(v, differentiable));
    }
    TreePath bodyPath = new TreePath(methodPath, tree.getBody());
    List<Stmt> body = new ArrayList<>();
    copyWrittenParameters(tree, params, body);
    lowerBlock(bodyPath, body);
    Function f = new Function(method.getSimpleName().toString(), List.copyOf(params),
        TypeMapping.of(method.getReturnType()), body, sourceText.of(tree));
    problems.addAll(dropped.check(f));
    return f;
  }

  /**
   * Lets the body work on a copy of each 1-D parameter array it writes (see
   * {@link ParameterCopies}): the copy takes the parameter's name in scope.
   */
  private void copyWrittenParameters(MethodTree tree, List<Function.Param> params,
      List<Stmt> out) {
    Set<String> oneDim = new HashSet<>();
    params.stream().map(Function.Param::var).filter(v -> v.type() != null && v.type().dims() == 1)
        .forEach(v -> oneDim.add(v.sourceName()));
    Set<String> written = ParameterCopies.written(tree.getBody(), oneDim);
    for (Function.Param p : params) {
      Var v = p.var();
      if (!written.contains(v.sourceName())) {
        continue;
      }
      Var copy = new Var(uniqueName(names.allocate(v.sourceName() + "Copy")),
          v.sourceName() + "Copy", v.type(), Var.Kind.LOCAL);
      Var index = new Var(uniqueName(names.allocate("i")), "i", Type.INT, Var.Kind.LOCAL);
      declaredNames.add(copy.name());
      declaredNames.add(index.name());
      scopes.peek().put(v.sourceName(), copy);
      out.addAll(ParameterCopies.copy(v, copy, index, new Source(sourceText.of(tree).line(),
          "copy of " + v.sourceName() + ", which the method writes in place")));
    }
  }

  private void define(Var v) {
    scopes.peek().put(v.sourceName(), v);
    declaredNames.add(v.name());
  }

  private Var lookup(String name) {
    for (Map<String, Var> frame : scopes) {
      Var v = frame.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- statements

  private void lowerBlock(TreePath blockPath, List<Stmt> out) {
    scopes.push(new HashMap<>());
    for (StatementTree s : ((BlockTree) blockPath.getLeaf()).getStatements()) {
      lowerStatement(new TreePath(blockPath, s), out);
    }
    scopes.pop();
  }

  private List<Stmt> lowerBranch(TreePath path) {
    nesting++;
    try {
      return lowerNested(path);
    } finally {
      nesting--;
    }
  }

  private List<Stmt> lowerNested(TreePath path) {
    List<Stmt> out = new ArrayList<>();
    if (path.getLeaf() instanceof BlockTree) {
      lowerBlock(path, out);
    } else {
      scopes.push(new HashMap<>());
      lowerStatement(path, out);
      scopes.pop();
    }
    return out;
  }

  private void lowerStatement(TreePath path, List<Stmt> out) {
    int mark = out.size();
    lowerOneStatement(path, out);
    if (!pending.isEmpty()) {
      out.addAll(mark, pending);
      pending.clear();
    }
  }

  private void lowerOneStatement(TreePath path, List<Stmt> out) {
    Tree tree = path.getLeaf();
    Source src = sourceText.of(tree);
    switch (tree.getKind()) {
      case VARIABLE -> {
        VariableTree vt = (VariableTree) tree;
        String name = vt.getName().toString();
        Type declared = NameResolver.typeOf(vt.getType());
        int problemsBefore = problems.size();
        Expr init = vt.getInitializer() == null ? null
            : lowerExpr(new TreePath(path, vt.getInitializer()), declared);
        Type t = declared != null ? declared : vt.getType() == null && init != null
            ? init.type() : null;
        if (t == null || t.dims() > 2 || t.prim() == Type.Prim.REFERENCE) {
          // The initializer usually holds the precise culprit (a `new`, a lambda): report it
          // there, and the variable's type only when the initializer is fine.
          if (problems.size() == problemsBefore) {
            problem(path, t == null || t.prim() == Type.Prim.REFERENCE
                ? "local variable '" + name + "' has type " + vt.getType()
                    + "; @Differentiable methods support only primitive locals and arrays"
                : "arrays of more than two dimensions are not supported");
          }
          define(new Var(name, name, Type.DOUBLE, Var.Kind.LOCAL));
          return;
        }
        Var v = new Var(uniqueName(name), name, t, Var.Kind.LOCAL);
        init = init == null ? null : coerce(init, t);
        define(v);
        if (t.dims() > 0 && !checkArrayLocal(path, v, init)) {
          return;
        }
        if (t.dims() > 0 && init instanceof Expr.Index row) {
          Var index = new Var(uniqueName(name + "Index"), name + "Index", Type.INT,
              Var.Kind.LOCAL);
          declaredNames.add(index.name());
          out.add(new Stmt.Declare(index, row.index(), src));
          aliasExprs.put(v, new Expr.Index(row.array(), new Expr.Read(index), row.type()));
          return;
        }
        out.add(new Stmt.Declare(v, init, src));
      }
      case EXPRESSION_STATEMENT -> {
        TreePath exprPath = new TreePath(path, ((ExpressionStatementTree) tree).getExpression());
        lowerExpressionStatement(exprPath, src, out);
      }
      case IF -> {
        IfTree it = (IfTree) tree;
        Expr cond = lowerExpr(new TreePath(path, it.getCondition()), null);
        // Array-valued calls the condition binds to locals go before the if, not into the
        // first statement of a branch.
        List<Stmt> bindings = takePending();
        List<Stmt> then = lowerBranch(new TreePath(path, it.getThenStatement()));
        List<Stmt> otherwise = it.getElseStatement() == null ? List.of()
            : lowerBranch(new TreePath(path, it.getElseStatement()));
        pending.addAll(bindings);
        out.add(new Stmt.If(cond, then, otherwise, src));
      }
      case RETURN -> {
        ReturnTree rt = (ReturnTree) tree;
        Type t = returnType;
        TreePath valuePath = new TreePath(path, rt.getExpression());
        Expr value = coerce(lowerExpr(valuePath, t), t);
        if (t.dims() > 0 && loopDepth > 0 && !(value instanceof Expr.Read)) {
          // The loop is left first and the array returned after it (see ReturnNormalization).
          problem(valuePath, "inside a loop, return an array variable declared before the "
              + "loop; assign the result to one first");
        }
        out.add(new Stmt.Return(value, src));
      }
      case BLOCK -> lowerBlock(path, out);
      case EMPTY_STATEMENT -> { }
      case FOR_LOOP -> {
        ForLoopTree ft = (ForLoopTree) tree;
        scopes.push(new HashMap<>());
        List<Stmt> init = new ArrayList<>();
        for (StatementTree st : ft.getInitializer()) {
          lowerStatement(new TreePath(path, st), init);
        }
        loopDepth++;
        Expr cond = ft.getCondition() == null ? new Expr.Const(true, Type.BOOLEAN)
            : lowerExpr(new TreePath(path, ft.getCondition()), null);
        List<Stmt> update = new ArrayList<>();
        for (StatementTree st : ft.getUpdate()) {
          lowerStatement(new TreePath(path, st), update);
        }
        List<Stmt> body = lowerBranch(new TreePath(path, ft.getStatement()));
        loopDepth--;
        scopes.pop();
        out.add(new Stmt.Loop(init, cond, update, body, true, src));
      }
      case ENHANCED_FOR_LOOP -> lowerEnhancedFor(path, (EnhancedForLoopTree) tree, src, out);
      case WHILE_LOOP -> {
        WhileLoopTree wt = (WhileLoopTree) tree;
        loopDepth++;
        Expr cond = lowerExpr(new TreePath(path, wt.getCondition()), null);
        List<Stmt> body = lowerBranch(new TreePath(path, wt.getStatement()));
        loopDepth--;
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, true, src));
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree dt = (DoWhileLoopTree) tree;
        loopDepth++;
        List<Stmt> body = lowerBranch(new TreePath(path, dt.getStatement()));
        Expr cond = lowerExpr(new TreePath(path, dt.getCondition()), null);
        loopDepth--;
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, false, src));
      }
      case BREAK -> {
        if (((BreakTree) tree).getLabel() != null) {
          problem(path, "labelled break is not supported in @Differentiable methods; "
              + "use a boolean flag to leave the outer loop");
        } else {
          out.add(new Stmt.Break(src));
        }
      }
      case CONTINUE -> {
        if (((ContinueTree) tree).getLabel() != null) {
          problem(path, "labelled continue is not supported in @Differentiable methods; "
              + "use a boolean flag instead");
        } else {
          out.add(new Stmt.Continue(src));
        }
      }
      case SWITCH -> problem(path, "switch statements are not supported in @Differentiable "
          + "methods; use if/else instead");
      case TRY -> problem(path, "try statements are not supported in @Differentiable methods; "
          + "a differentiable function must be pure and cannot throw");
      case THROW -> problem(path, "throw is not supported in @Differentiable methods; "
          + "validate arguments before calling the function");
      case SYNCHRONIZED -> problem(path, "synchronized is not supported in @Differentiable "
          + "methods; a differentiable function must be pure");
      case LABELED_STATEMENT -> problem(path, "labelled statements (and labelled break and "
          + "continue) are not supported in @Differentiable methods; use a boolean flag to leave "
          + "an outer loop");
      case CLASS, INTERFACE, ENUM, RECORD -> problem(path, "local classes are not supported in "
          + "@Differentiable methods; declare the class outside the method");
      default -> problem(path, "this statement (" + describe(tree.getKind()) + ") is not "
          + "supported in @Differentiable methods");
    }
  }

  /** Removes and returns the bindings of array-valued call arguments lowered so far. */
  private List<Stmt> takePending() {
    List<Stmt> taken = new ArrayList<>(pending);
    pending.clear();
    return taken;
  }

  private void lowerExpressionStatement(TreePath path, Source src, List<Stmt> out) {
    Tree tree = path.getLeaf();
    switch (tree.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree at = (AssignmentTree) tree;
        if (at.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          Expr.Index target = storeTarget(new TreePath(path, at.getVariable()));
          Expr value = coerce(lowerExpr(new TreePath(path, at.getExpression())),
              target == null ? null : target.type());
          if (target != null) {
            out.add(new Stmt.Store(target, AssignOp.SET, value, src));
          }
          return;
        }
        Var target = assignTarget(new TreePath(path, at.getVariable()));
        if (target == null) {
          return;
        }
        Expr value = coerce(lowerExpr(new TreePath(path, at.getExpression())), target.type());
        out.add(new Stmt.Assign(target, AssignOp.SET, value, src));
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT, LEFT_SHIFT_ASSIGNMENT, RIGHT_SHIFT_ASSIGNMENT,
          UNSIGNED_RIGHT_SHIFT_ASSIGNMENT, AND_ASSIGNMENT, OR_ASSIGNMENT, XOR_ASSIGNMENT -> {
        CompoundAssignmentTree ct = (CompoundAssignmentTree) tree;
        AssignOp op = compoundOp(tree.getKind());
        if (ct.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          Expr.Index target = storeTarget(new TreePath(path, ct.getVariable()));
          Expr value = lowerExpr(new TreePath(path, ct.getExpression()));
          if (target != null) {
            out.add(new Stmt.Store(target, op, compoundValue(op, target.type(), value), src));
          }
          return;
        }
        Var target = assignTarget(new TreePath(path, ct.getVariable()));
        if (target == null) {
          return;
        }
        Expr value = lowerExpr(new TreePath(path, ct.getExpression()));
        out.add(new Stmt.Assign(target, op, compoundValue(op, target.type(), value), src));
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        UnaryTree ut = (UnaryTree) tree;
        boolean inc = tree.getKind() == Tree.Kind.PREFIX_INCREMENT
            || tree.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        AssignOp op = inc ? AssignOp.ADD : AssignOp.SUB;
        if (ut.getExpression().getKind() == Tree.Kind.ARRAY_ACCESS) {
          Expr.Index target = storeTarget(new TreePath(path, ut.getExpression()));
          if (target != null) {
            out.add(new Stmt.Store(target, op,
                Exprs.constant(1, Type.promote(target.type(), Type.INT)), src));
          }
          return;
        }
        Var target = assignTarget(new TreePath(path, ut.getExpression()));
        if (target == null) {
          return;
        }
        Type opType = Type.promote(target.type(), Type.INT);
        out.add(new Stmt.Assign(target, op, Exprs.constant(1, opType), src));
      }
      case METHOD_INVOCATION -> problem(path, "the result of this call is discarded; "
          + "@Differentiable methods are pure, so a call without using its value does nothing");
      default -> problem(path, "this expression statement (" + describe(tree.getKind())
          + ") is not supported in @Differentiable methods");
    }
  }

  /** The value of {@code target op= value}, converted as Java does (JLS 15.26.2). */
  private static Expr compoundValue(AssignOp op, Type target, Expr value) {
    // Shifts promote each operand on its own; the others compute in the promoted type.
    if (op.binary.precedence == 10) {
      return value;
    }
    return coerce(value, Type.promote(target, value.type()));
  }

  /** Lowers the target of an element assignment; null (with a problem) when not allowed. */
  private Expr.Index storeTarget(TreePath path) {
    Expr target = lowerExpr(path);
    if (!(target instanceof Expr.Index index)) {
      return null;
    }
    if (!index.type().isNumeric()) {
      problem(path, "only elements can be assigned; array variables and rows cannot be "
          + "reassigned in @Differentiable methods");
      return null;
    }
    Var root = rootOf(index);
    if (root != null && root.kind() == Var.Kind.PARAMETER) {
      // 1-D parameter arrays written in place are copies by now (see ParameterCopies).
      String n = root.sourceName();
      String element = root.type().elementType().toString();
      problem(path, "writing to the elements of the " + root.type().dims() + "-D parameter "
          + "array '" + n + "' is not supported (1-D parameter arrays may be written); copy it "
          + "into a local array first: " + root.type() + " " + n + "Copy = new " + element
          + "[" + n + ".length][" + n + "[0].length], filled by two loops, then write "
          + n + "Copy");
      return null;
    }
    if (root == null) {
      problem(path, "this element cannot be assigned; assign elements of local arrays only");
      return null;
    }
    return index;
  }

  /** The variable that owns the storage an array expression refers to, or null. */
  private Var rootOf(Expr array) {
    if (array instanceof Expr.Index i) {
      return rootOf(i.array());
    }
    if (array instanceof Expr.Read r) {
      Var alias = aliasRoots.get(r.var());
      return alias != null ? alias : r.var();
    }
    return null;
  }

  /**
   * Checks an array local: it must be a fresh array (allocated outside loops) or a row of
   * another array (an alias, whose adjoint is the same row of that array's adjoint).
   */
  private boolean checkArrayLocal(TreePath path, Var v, Expr init) {
    if (init == null) {
      problem(path, "array local '" + v.sourceName() + "' must be initialised where it is "
          + "declared");
      return false;
    }
    if (init instanceof Expr.Index row) {
      Var root = rootOf(row);
      if (root != null) {
        aliasRoots.put(v, root);
        return true;
      }
    }
    if (init instanceof Expr.NewArray || init instanceof Expr.DiffCall
        || init instanceof Expr.CustomCall) {
      if (loopDepth > 0) {
        problem(path, "arrays cannot be allocated inside loops in @Differentiable methods; "
            + "allocate '" + v.sourceName() + "' once before the loop and reuse it");
        return false;
      }
      return true;
    }
    problem(path, "array local '" + v.sourceName() + "' must be initialised with a new array, "
        + "an array initialiser, a row of another array, or a call; aliasing a whole array "
        + "is not supported");
    return false;
  }

  private void lowerEnhancedFor(TreePath path, EnhancedForLoopTree ft, Source src,
      List<Stmt> out) {
    Expr array = lowerExpr(new TreePath(path, ft.getExpression()));
    if (array.type() == null || array.type().dims() == 0) {
      problem(new TreePath(path, ft.getExpression()), "enhanced for loops are supported over "
          + "arrays only");
      return;
    }
    if (array instanceof Expr.DiffCall || array instanceof Expr.CustomCall) {
      // Java evaluates the array once: bind the call's result to a local before the loop.
      List<Expr> holder = new ArrayList<>(List.of(array));
      if (!bindArrayCallArguments(new TreePath(path, ft.getExpression()), holder)) {
        return;
      }
      array = holder.get(0);
    }
    List<Stmt> bindings = takePending();
    Var index = new Var(names.allocate("i"), "i", Type.INT, Var.Kind.LOCAL);
    Type declared = NameResolver.typeOf(ft.getVariable().getType());
    Type t = declared != null ? declared : array.type().component();
    String name = ft.getVariable().getName().toString();
    Var element = new Var(uniqueName(name), name, t, Var.Kind.LOCAL);
    scopes.push(new HashMap<>());
    define(element);
    loopDepth++;
    List<Stmt> body = new ArrayList<>();
    Expr init = coerce(new Expr.Index(array, new Expr.Read(index), array.type().component()), t);
    if (t.dims() > 0 && rootOf(array) != null) {
      // A row of the array: the loop variable stands for array[i] (i is not changed by the
      // body, which cannot see it).
      aliasRoots.put(element, rootOf(array));
      aliasExprs.put(element, (Expr.Index) init);
    } else {
      body.add(new Stmt.Declare(element, init, src));
    }
    body.addAll(lowerBranch(new TreePath(path, ft.getStatement())));
    loopDepth--;
    scopes.pop();
    pending.addAll(bindings);
    out.add(new Stmt.Loop(
        List.of(new Stmt.Declare(index, new Expr.Const(0, Type.INT), src)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(index), new Expr.Length(array), Type.BOOLEAN),
        List.of(new Stmt.Assign(index, AssignOp.ADD, new Expr.Const(1, Type.INT), src)),
        body, true, src));
  }

  private Var assignTarget(TreePath path) {
    Tree t = path.getLeaf();
    while (t instanceof ParenthesizedTree p) {
      t = p.getExpression();
    }
    Var v = t instanceof IdentifierTree id ? lookup(id.getName().toString()) : null;
    if (v != null && v.type().dims() > 0) {
      problem(path, "array variables cannot be reassigned in @Differentiable methods; "
          + "assign their elements instead");
      return null;
    }
    if (v == null) {
      boolean field = t instanceof MemberSelectTree
          || t instanceof IdentifierTree id && resolver.resolveField(id.getName().toString())
              != null;
      if (field) {
        problem(path, "@Differentiable methods cannot write fields ('" + t
            + "'); use a local variable and return the result");
      } else {
        problem(path, "only local variables and parameters can be assigned in "
            + "@Differentiable methods");
      }
      return null;
    }
    return v;
  }

  // ---------------------------------------------------------------- expressions

  private Expr lowerExpr(TreePath path) {
    return lowerExpr(path, null);
  }

  /**
   * Lowers an expression, computing its type as javac would for the supported subset.
   * {@code expected} is the type the context needs, used only by array initialisers.
   */
  private Expr lowerExpr(TreePath path, Type expected) {
    Tree tree = path.getLeaf();
    switch (tree.getKind()) {
      case PARENTHESIZED -> {
        return lowerExpr(new TreePath(path, ((ParenthesizedTree) tree).getExpression()),
            expected);
      }
      case INT_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.INT);
      }
      case LONG_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.LONG);
      }
      case FLOAT_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.FLOAT);
      }
      case DOUBLE_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.DOUBLE);
      }
      case BOOLEAN_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.BOOLEAN);
      }
      case CHAR_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.CHAR);
      }
      case IDENTIFIER -> {
        return lowerIdentifier(path, (IdentifierTree) tree);
      }
      case MEMBER_SELECT -> {
        return lowerMemberSelect(path, (MemberSelectTree) tree);
      }
      case UNARY_MINUS, UNARY_PLUS, BITWISE_COMPLEMENT -> {
        Expr operand = lowerExpr(new TreePath(path, ((UnaryTree) tree).getExpression()));
        if (!operand.type().isNumeric()) {
          return unsupported(path, "this operator needs a number", Type.DOUBLE);
        }
        Type type = Type.promote(operand.type(), Type.INT);
        operand = coerce(operand, type);
        return switch (tree.getKind()) {
          case UNARY_PLUS -> operand;
          case UNARY_MINUS -> new Expr.Unary(UnaryOp.NEG, operand, type);
          default -> new Expr.Unary(UnaryOp.COMPLEMENT, operand, type);
        };
      }
      case LOGICAL_COMPLEMENT -> {
        Expr operand = lowerExpr(new TreePath(path, ((UnaryTree) tree).getExpression()));
        return new Expr.Unary(UnaryOp.NOT, operand, Type.BOOLEAN);
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        return unsupported(path, "increment and decrement inside an expression are not "
            + "supported; write it as a statement of its own", Type.DOUBLE);
      }
      case ASSIGNMENT, PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT -> {
        return unsupported(path, "assignment inside an expression is not supported; write it "
            + "as a statement of its own", Type.DOUBLE);
      }
      case CONDITIONAL_EXPRESSION -> {
        ConditionalExpressionTree ct = (ConditionalExpressionTree) tree;
        Expr c = lowerExpr(new TreePath(path, ct.getCondition()));
        Expr a = lowerExpr(new TreePath(path, ct.getTrueExpression()), expected);
        Expr b = lowerExpr(new TreePath(path, ct.getFalseExpression()), expected);
        Type type = a.type().isNumeric() && b.type().isNumeric()
            ? conditionalType(a, b) : a.type();
        if (!a.type().isNumeric() && !a.type().equals(b.type())) {
          return unsupported(path, "both branches of ?: must have the same type", Type.DOUBLE);
        }
        return new Expr.Conditional(c, coerce(a, type), coerce(b, type), type);
      }
      case TYPE_CAST -> {
        TypeCastTree ct = (TypeCastTree) tree;
        Type type = NameResolver.typeOf(ct.getType());
        Expr operand = lowerExpr(new TreePath(path, ct.getExpression()));
        if (type == null || type.dims() > 0 || !operand.type().isNumeric()) {
          return unsupported(path, "this cast is not supported; only casts between primitive "
              + "numeric types are", Type.DOUBLE);
        }
        return operand.type().equals(type) ? operand : new Expr.Cast(type, operand, true);
      }
      case METHOD_INVOCATION -> {
        return lowerCall(path, (MethodInvocationTree) tree);
      }
      case NEW_CLASS -> {
        return unsupported(path, "object creation is not supported in @Differentiable methods; "
            + "they compute with primitive values and arrays only", Type.DOUBLE);
      }
      case NEW_ARRAY -> {
        NewArrayTree nt = (NewArrayTree) tree;
        // new double[n][m]: element type double, two dimension expressions; new double[n][]:
        // element type double[], one; new double[] {a, b}: element type double, initialiser.
        Type element = NameResolver.typeOf(nt.getType());
        Type type = nt.getType() == null ? expected : element == null ? null
            : new Type(element.prim(), element.dims()
                + Math.max(nt.getDimensions().size(), nt.getInitializers() != null ? 1 : 0), null);
        if (type == null || type.dims() == 0) {
          return unsupported(path, "only arrays of primitives are supported", Type.DOUBLE);
        }
        List<Expr> dims = new ArrayList<>();
        for (ExpressionTree d : nt.getDimensions()) {
          dims.add(coerce(lowerExpr(new TreePath(path, d)), Type.INT));
        }
        List<Expr> elements = null;
        if (nt.getInitializers() != null) {
          elements = new ArrayList<>();
          for (ExpressionTree x : nt.getInitializers()) {
            elements.add(coerce(lowerExpr(new TreePath(path, x), type.component()),
                type.component()));
          }
        }
        return new Expr.NewArray(type, List.copyOf(dims),
            elements == null ? null : List.copyOf(elements));
      }
      case ARRAY_ACCESS -> {
        ArrayAccessTree at = (ArrayAccessTree) tree;
        int before = problems.size();
        Expr array = lowerExpr(new TreePath(path, at.getExpression()));
        Expr index = coerce(lowerExpr(new TreePath(path, at.getIndex())), Type.INT);
        if (problems.size() > before) {
          return new Expr.Const(0.0, Type.DOUBLE); // already reported, where it is
        }
        if (array.type().dims() == 0) {
          return unsupported(path, "only arrays can be indexed", Type.DOUBLE);
        }
        if (array instanceof Expr.DiffCall || array instanceof Expr.CustomCall) {
          // The element's adjoint needs an array to live in: bind the result to a local.
          if (nesting > 0 || loopDepth > 0) {
            return unsupported(path, "the result of an array-valued call can be indexed only at "
                + "the top level of the method; assign it to a local array there first",
                Type.DOUBLE);
          }
          List<Expr> holder = new ArrayList<>(List.of(array));
          if (!bindArrayCallArguments(new TreePath(path, at.getExpression()), holder)) {
            return new Expr.Const(0.0, Type.DOUBLE);
          }
          array = holder.get(0);
        }
        return new Expr.Index(array, index, array.type().component());
      }
      case LAMBDA_EXPRESSION, MEMBER_REFERENCE -> {
        return unsupported(path, "lambdas and method references are not supported in "
            + "@Differentiable methods; call a @Differentiable method directly", Type.DOUBLE);
      }
      case SWITCH_EXPRESSION -> {
        return unsupported(path, "switch expressions are not supported in @Differentiable "
            + "methods; use the ?: operator or if/else", Type.DOUBLE);
      }
      case STRING_LITERAL, NULL_LITERAL -> {
        return unsupported(path, "strings and null are not supported in @Differentiable "
            + "methods; they compute with primitive values only", Type.DOUBLE);
      }
      case INSTANCE_OF -> {
        return unsupported(path, "instanceof is not supported in @Differentiable methods",
            Type.BOOLEAN);
      }
      default -> {
        if (tree instanceof BinaryTree bt) {
          return lowerBinary(path, bt);
        }
        return unsupported(path, "this expression (" + describe(tree.getKind()) + ") is not "
            + "supported in @Differentiable methods", Type.DOUBLE);
      }
    }
  }

  /** The type of {@code c ? a : b} for numeric operands (JLS 15.25, without boxing). */
  private static Type conditionalType(Expr a, Expr b) {
    if (a.type().equals(b.type())) {
      return a.type();
    }
    return Type.promote(a.type(), b.type());
  }

  /**
   * Binds array-valued call results passed to another call to fresh locals, so that their
   * adjoints have a name: {@code relu(dense(x))} becomes {@code t = dense(x); relu(t)}. Only at
   * the top level of the method, where arrays may be allocated.
   */
  private boolean bindArrayCallArguments(TreePath path, List<Expr> args) {
    for (int i = 0; i < args.size(); i++) {
      Expr a = args.get(i);
      if (a.type().dims() > 0 && (a instanceof Expr.DiffCall || a instanceof Expr.CustomCall)) {
        // In a loop's condition or update the call runs on every iteration: it cannot be
        // bound once before the loop.
        if (nesting > 0 || loopDepth > 0) {
          problem(path, "an array-valued call passed to another call must be assigned to a "
              + "local array first, at the top level of the method");
          return false;
        }
        Var t = new Var(uniqueName(names.allocate("t")), "t", a.type(), Var.Kind.LOCAL);
        declaredNames.add(t.name());
        pending.add(new Stmt.Declare(t, a, sourceText.of(path.getLeaf())));
        args.set(i, new Expr.Read(t));
      }
    }
    return true;
  }

  private Expr lowerIdentifier(TreePath path, IdentifierTree id) {
    String name = id.getName().toString();
    Var v = lookup(name);
    if (v != null) {
      Expr alias = aliasExprs.get(v);
      return alias != null ? alias : new Expr.Read(v);
    }
    VariableElement field = resolver.resolveField(name);
    if (field != null) {
      return lowerField(path, field);
    }
    return unsupported(path, "'" + name + "' cannot be used in a @Differentiable method; only "
        + "parameters, locals and static final constants can", Type.DOUBLE);
  }

  private Expr lowerMemberSelect(TreePath path, MemberSelectTree ms) {
    String member = ms.getIdentifier().toString();
    TypeElement owner = resolver.resolveType(ms.getExpression());
    if (owner != null) {
      VariableElement field = resolver.field(owner, member);
      if (field != null) {
        return lowerField(path, field);
      }
      return unsupported(path, "cannot find field " + member + " in " + owner.getSimpleName(),
          Type.DOUBLE);
    }
    Expr target = lowerExpr(new TreePath(path, ms.getExpression()));
    if (member.equals("length") && target.type().dims() > 0) {
      return new Expr.Length(target);
    }
    return unsupported(path, "'" + ms + "' cannot be used in a @Differentiable method; only "
        + "array lengths and static final constants can", Type.DOUBLE);
  }

  private Expr lowerField(TreePath path, VariableElement field) {
    Type type = TypeMapping.of(field.asType());
    if (type == null || type.dims() > 0) {
      return unsupported(path, "field '" + field.getSimpleName() + "' has type "
          + field.asType() + "; @Differentiable methods can read only primitive constants",
          Type.DOUBLE);
    }
    if (!field.getModifiers().contains(Modifier.STATIC)
        || !field.getModifiers().contains(Modifier.FINAL)) {
      return unsupported(path, "@Differentiable methods can read only static final fields; '"
          + field.getSimpleName() + "' can change, so pass it as a parameter", type);
    }
    Object constant = field.getConstantValue();
    if (constant != null) {
      return new Expr.Const(constant, type);
    }
    if (field.getModifiers().contains(Modifier.PRIVATE)) {
      return unsupported(path, "the generated gradient class cannot read private field '"
          + field.getSimpleName() + "'; make it package-private", type);
    }
    TypeElement owner = (TypeElement) field.getEnclosingElement();
    return new Expr.StaticField(owner.getQualifiedName().toString(),
        field.getSimpleName().toString(), type);
  }

  private Expr lowerBinary(TreePath path, BinaryTree bt) {
    BinaryOp op = binaryOp(bt.getKind());
    if (op == null) {
      return unsupported(path, "operator " + describe(bt.getKind()) + " is not supported",
          Type.DOUBLE);
    }
    Expr l = lowerExpr(new TreePath(path, bt.getLeftOperand()));
    Expr r = lowerExpr(new TreePath(path, bt.getRightOperand()));
    boolean numeric = l.type().isNumeric() && r.type().isNumeric();
    boolean bools = l.type().equals(Type.BOOLEAN) && r.type().equals(Type.BOOLEAN);
    switch (op) {
      case SHL, SHR, USHR -> {
        if (!l.type().isIntegral() || !r.type().isIntegral()) {
          return unsupported(path, "shifts need integral operands", Type.INT);
        }
        Type type = Type.promote(l.type(), Type.INT);
        return new Expr.Binary(op, coerce(l, type), coerce(r, Type.promote(r.type(), Type.INT)),
            type);
      }
      case AND, OR -> {
        if (!bools) {
          return unsupported(path, "operator " + op.symbol + " needs boolean operands",
              Type.BOOLEAN);
        }
        return new Expr.Binary(op, l, r, Type.BOOLEAN);
      }
      case BIT_AND, BIT_OR, XOR -> {
        if (bools) {
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        if (!l.type().isIntegral() || !r.type().isIntegral()) {
          return unsupported(path, "operator " + op.symbol + " needs integral or boolean "
              + "operands", Type.INT);
        }
        Type type = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, type), coerce(r, type), type);
      }
      case EQ, NE -> {
        if (bools) {
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        if (!numeric) {
          return unsupported(path, "operator " + op.symbol + " is supported only on primitive "
              + "values", Type.BOOLEAN);
        }
        Type operands = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, operands), coerce(r, operands), Type.BOOLEAN);
      }
      case LT, LE, GT, GE -> {
        if (!numeric) {
          return unsupported(path, "operator " + op.symbol + " needs numbers", Type.BOOLEAN);
        }
        Type operands = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, operands), coerce(r, operands), Type.BOOLEAN);
      }
      default -> {
        if (!numeric) {
          return unsupported(path, "operator " + op.symbol + " is supported only on primitive "
              + "numbers; strings and objects cannot be used in @Differentiable methods",
              Type.DOUBLE);
        }
        Type type = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, type), coerce(r, type), type);
      }
    }
  }

  private Expr lowerCall(TreePath path, MethodInvocationTree mt) {
    ExpressionTree select = mt.getMethodSelect();
    List<Expr> args = new ArrayList<>();
    List<Type> argTypes = new ArrayList<>();
    for (ExpressionTree a : mt.getArguments()) {
      Expr arg = lowerExpr(new TreePath(path, a));
      args.add(arg);
      argTypes.add(arg.type());
    }
    NameResolver.MethodResult found;
    if (select instanceof IdentifierTree id) {
      found = resolver.resolveMethod(id.getName().toString(), argTypes);
    } else {
      MemberSelectTree ms = (MemberSelectTree) select;
      TypeElement owner = resolver.resolveType(ms.getExpression());
      if (owner == null) {
        return unsupported(path, "calls of instance methods (" + ms + ") are not supported in "
            + "@Differentiable methods; call a static method instead", Type.DOUBLE);
      }
      found = resolver.resolveMethod(owner, ms.getIdentifier().toString(), argTypes);
    }
    if (found.method() == null) {
      return unsupported(path, found.error() + "; @Differentiable methods can call Math "
          + "functions and other @Differentiable methods with primitive arguments", Type.DOUBLE);
    }
    ExecutableElement method = found.method();
    Type type = TypeMapping.of(method.getReturnType());
    if (StopGradients.is(method)) {
      return stopGradient(path, args.get(0), type);
    }
    CalleeResolver.Resolution r = callees.resolve(method);
    if (r instanceof CalleeResolver.Unsupported u) {
      return unsupported(path, u.message(), type == null ? Type.DOUBLE : type);
    }
    if (type == null) {
      return unsupported(path, "calls returning " + method.getReturnType() + " are not "
          + "supported in @Differentiable methods", Type.DOUBLE);
    }
    for (int i = 0; i < args.size(); i++) {
      args.set(i, coerce(args.get(i), TypeMapping.of(method.getParameters().get(i).asType())));
    }
    if (r instanceof CalleeResolver.Library lib) {
      return new Expr.LibraryCall(lib.owner(), method.getSimpleName().toString(),
          List.copyOf(args), type);
    }
    if (!bindArrayCallArguments(path, args)) {
      return new Expr.Const(0.0, Type.DOUBLE);
    }
    List<Callee.Param> params = r instanceof CalleeResolver.Custom custom
        ? custom.pullback().params() : ((CalleeResolver.Differentiable) r).callee().params();
    String pullback = r instanceof CalleeResolver.Custom custom
        ? custom.pullback().pullbackOwner() + "." + custom.pullback().pullbackMethod() : null;
    String display = method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
    for (int i = 0; i < args.size(); i++) {
      Callee.Param p = params.get(i);
      TreePath argPath = new TreePath(path, mt.getArguments().get(i));
      if (!p.differentiable() && p.type().isDifferentiable()) {
        dropped.passedToNoDerivative(args.get(i), argPath, display, p.name(), pullback);
      } else if (dropped.takeStoppedArray(args.get(i))) {
        return unsupported(argPath, DroppedDerivatives.STOP_GRADIENT + " of an array is "
            + "supported only as the argument of a @NoDerivative array parameter, and '"
            + p.name() + "' of " + display + " is differentiable; pass the array itself",
            type);
      }
    }
    if (r instanceof CalleeResolver.Custom custom) {
      return new Expr.CustomCall(custom.pullback(), List.copyOf(args), type);
    }
    var callee = ((CalleeResolver.Differentiable) r).callee();
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      return unsupported(path, "the generated gradient class cannot call private method "
          + method.getSimpleName() + "; make it package-private", type);
    }
    return new Expr.DiffCall(callee, List.copyOf(args), type);
  }

  /**
   * {@code StopGradient.stopGradient(x)}: a scalar becomes a call with derivative zero; an array
   * stands for itself, and may only go to a {@code @NoDerivative} parameter.
   */
  private Expr stopGradient(TreePath path, Expr argument, Type type) {
    if (argument.type().dims() > 0) {
      dropped.stoppedArray(argument, path);
      return argument;
    }
    return new Expr.LibraryCall(StopGradients.OWNER, StopGradients.METHOD, List.of(argument),
        type);
  }

  // ---------------------------------------------------------------- helpers

  /** Inserts the implicit conversion javac applies when {@code e} is used as {@code type}. */
  private static Expr coerce(Expr e, Type type) {
    if (type == null || e.type() == null || e.type().equals(type)) {
      return e;
    }
    if (!type.isNumeric() || !e.type().isNumeric()) {
      return e;
    }
    return Exprs.convert(e, type);
  }

  private String uniqueName(String name) {
    // Names were all reserved up front; the first declaration keeps its name.
    boolean taken = hiddenTypes.contains(name) || declaredNames.contains(name);
    return taken ? names.allocate(name) : name;
  }


  private Expr unsupported(TreePath path, String message, Type type) {
    problem(path, message);
    return new Expr.Const(0.0, type == null ? Type.DOUBLE : type);
  }

  private void problem(TreePath path, String message) {
    problems.add(Problem.at(path, message));
  }

  private static String describe(Tree.Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  private static AssignOp compoundOp(Tree.Kind kind) {
    return switch (kind) {
      case PLUS_ASSIGNMENT -> AssignOp.ADD;
      case MINUS_ASSIGNMENT -> AssignOp.SUB;
      case MULTIPLY_ASSIGNMENT -> AssignOp.MUL;
      case DIVIDE_ASSIGNMENT -> AssignOp.DIV;
      case REMAINDER_ASSIGNMENT -> AssignOp.REM;
      case LEFT_SHIFT_ASSIGNMENT -> AssignOp.SHL;
      case RIGHT_SHIFT_ASSIGNMENT -> AssignOp.SHR;
      case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> AssignOp.USHR;
      case AND_ASSIGNMENT -> AssignOp.BIT_AND;
      case OR_ASSIGNMENT -> AssignOp.BIT_OR;
      default -> AssignOp.XOR;
    };
  }

  private static BinaryOp binaryOp(Tree.Kind kind) {
    return switch (kind) {
      case MULTIPLY -> BinaryOp.MUL;
      case DIVIDE -> BinaryOp.DIV;
      case REMAINDER -> BinaryOp.REM;
      case PLUS -> BinaryOp.ADD;
      case MINUS -> BinaryOp.SUB;
      case LEFT_SHIFT -> BinaryOp.SHL;
      case RIGHT_SHIFT -> BinaryOp.SHR;
      case UNSIGNED_RIGHT_SHIFT -> BinaryOp.USHR;
      case LESS_THAN -> BinaryOp.LT;
      case LESS_THAN_EQUAL -> BinaryOp.LE;
      case GREATER_THAN -> BinaryOp.GT;
      case GREATER_THAN_EQUAL -> BinaryOp.GE;
      case EQUAL_TO -> BinaryOp.EQ;
      case NOT_EQUAL_TO -> BinaryOp.NE;
      case AND -> BinaryOp.BIT_AND;
      case XOR -> BinaryOp.XOR;
      case OR -> BinaryOp.BIT_OR;
      case CONDITIONAL_AND -> BinaryOp.AND;
      case CONDITIONAL_OR -> BinaryOp.OR;
      default -> null;
    };
  }
}
