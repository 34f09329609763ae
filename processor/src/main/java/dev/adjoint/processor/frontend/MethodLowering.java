package dev.adjoint.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * The front end: lowers the body of one {@code @Differentiable} method from javac's attributed
 * trees to the IR, making implicit conversions explicit and giving every local a unique name.
 * Anything outside the supported subset becomes a {@link Problem} on the exact tree; lowering
 * goes on after a problem so that one compilation reports all of them.
 */
public final class MethodLowering {
  private final Trees trees;
  private final CalleeResolver callees;
  private final List<Problem> problems = new ArrayList<>();
  private final Map<Element, Var> vars = new HashMap<>();
  private final NameAllocator names = new NameAllocator();
  private SourceText sourceText;

  public MethodLowering(Trees trees, CalleeResolver callees) {
    this.trees = trees;
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
    // Processors see the trees before attribution, and getTypeMirror does not attribute, so
    // expression types would be null until something calls getElement. Asking for the element
    // of a tree without a symbol (the body block) makes javac attribute the enclosing class.
    trees.getElement(new TreePath(methodPath, tree.getBody()));
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

    List<Function.Param> params = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.of(p.asType());
      Var v = new Var(p.getSimpleName().toString(), p.getSimpleName().toString(), t,
          Var.Kind.PARAMETER);
      vars.put(p, v);
      boolean differentiable =
          t.isFloating() && !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
      params.add(new Function.Param(v, differentiable));
    }
    TreePath bodyPath = new TreePath(methodPath, tree.getBody());
    List<Stmt> body = new ArrayList<>();
    lowerBlock(bodyPath, body);
    return new Function(method.getSimpleName().toString(), List.copyOf(params),
        TypeMapping.of(method.getReturnType()), body, sourceText.of(tree));
  }

  // ---------------------------------------------------------------- statements

  private void lowerBlock(TreePath blockPath, List<Stmt> out) {
    for (StatementTree s : ((BlockTree) blockPath.getLeaf()).getStatements()) {
      lowerStatement(new TreePath(blockPath, s), out);
    }
  }

  private List<Stmt> lowerBranch(TreePath path) {
    List<Stmt> out = new ArrayList<>();
    if (path.getLeaf() instanceof BlockTree) {
      lowerBlock(path, out);
    } else {
      lowerStatement(path, out);
    }
    return out;
  }

  private void lowerStatement(TreePath path, List<Stmt> out) {
    Tree tree = path.getLeaf();
    Source src = sourceText.of(tree);
    switch (tree.getKind()) {
      case VARIABLE -> {
        VariableTree vt = (VariableTree) tree;
        Element e = trees.getElement(path);
        Type t = TypeMapping.of(e.asType());
        if (t == null) {
          problem(path, "local variable '" + vt.getName() + "' has type " + e.asType()
              + "; @Differentiable methods support only primitive locals");
          return;
        }
        if (t.dims() > 0) {
          problem(path, "array variables are not supported yet; use scalar locals");
          return;
        }
        String name = vt.getName().toString();
        Var v = new Var(uniqueName(name), name, t, Var.Kind.LOCAL);
        vars.put(e, v);
        Expr init = vt.getInitializer() == null ? null
            : coerce(lowerExpr(new TreePath(path, vt.getInitializer())), t);
        out.add(new Stmt.Declare(v, init, src));
      }
      case EXPRESSION_STATEMENT -> {
        TreePath exprPath = new TreePath(path, ((ExpressionStatementTree) tree).getExpression());
        lowerExpressionStatement(exprPath, src, out);
      }
      case IF -> {
        IfTree it = (IfTree) tree;
        Expr cond = lowerExpr(new TreePath(path, it.getCondition()));
        List<Stmt> then = lowerBranch(new TreePath(path, it.getThenStatement()));
        List<Stmt> otherwise = it.getElseStatement() == null ? List.of()
            : lowerBranch(new TreePath(path, it.getElseStatement()));
        out.add(new Stmt.If(cond, then, otherwise, src));
      }
      case RETURN -> {
        ReturnTree rt = (ReturnTree) tree;
        Type t = TypeMapping.of(returnTypeOf(path));
        out.add(new Stmt.Return(coerce(lowerExpr(new TreePath(path, rt.getExpression())), t),
            src));
      }
      case BLOCK -> lowerBlock(path, out);
      case EMPTY_STATEMENT -> { }
      case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP ->
          problem(path, "loops are not supported yet in @Differentiable methods; "
              + "unroll the loop or move it into the caller");
      case SWITCH -> problem(path, "switch statements are not supported in @Differentiable "
          + "methods; use if/else instead");
      case TRY -> problem(path, "try statements are not supported in @Differentiable methods; "
          + "a differentiable function must be pure and cannot throw");
      case THROW -> problem(path, "throw is not supported in @Differentiable methods; "
          + "validate arguments before calling the function");
      case SYNCHRONIZED -> problem(path, "synchronized is not supported in @Differentiable "
          + "methods; a differentiable function must be pure");
      case LABELED_STATEMENT -> problem(path, "labelled statements are not supported in "
          + "@Differentiable methods");
      case CLASS, INTERFACE, ENUM, RECORD -> problem(path, "local classes are not supported in "
          + "@Differentiable methods; declare the class outside the method");
      default -> problem(path, "this statement (" + describe(tree.getKind()) + ") is not "
          + "supported in @Differentiable methods");
    }
  }

  private void lowerExpressionStatement(TreePath path, Source src, List<Stmt> out) {
    Tree tree = path.getLeaf();
    switch (tree.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree at = (AssignmentTree) tree;
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
        Var target = assignTarget(new TreePath(path, ct.getVariable()));
        if (target == null) {
          return;
        }
        AssignOp op = compoundOp(tree.getKind());
        Expr value = lowerExpr(new TreePath(path, ct.getExpression()));
        // The operation runs in the promoted type, then narrows to the target (JLS 15.26.2).
        Type opType = op.binary.precedence == 10 ? Type.promote(target.type(), Type.INT)
            : Type.promote(target.type(), value.type());
        if (op.binary.precedence != 10) {
          value = coerce(value, opType);
        }
        out.add(new Stmt.Assign(target, op, value, src));
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        UnaryTree ut = (UnaryTree) tree;
        Var target = assignTarget(new TreePath(path, ut.getExpression()));
        if (target == null) {
          return;
        }
        boolean inc = tree.getKind() == Tree.Kind.PREFIX_INCREMENT
            || tree.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        Type opType = Type.promote(target.type(), Type.INT);
        out.add(new Stmt.Assign(target, inc ? AssignOp.ADD : AssignOp.SUB,
            Exprs.constant(1, opType), src));
      }
      case METHOD_INVOCATION -> problem(path, "the result of this call is discarded; "
          + "@Differentiable methods are pure, so a call without using its value does nothing");
      default -> problem(path, "this expression statement (" + describe(tree.getKind())
          + ") is not supported in @Differentiable methods");
    }
  }

  private Var assignTarget(TreePath path) {
    Element e = trees.getElement(path);
    Var v = e == null ? null : vars.get(e);
    if (v == null) {
      if (e != null && e.getKind() == ElementKind.FIELD) {
        problem(path, "@Differentiable methods cannot write fields ('" + e.getSimpleName()
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
    Tree tree = path.getLeaf();
    Type type = TypeMapping.of(trees.getTypeMirror(path));
    switch (tree.getKind()) {
      case PARENTHESIZED -> {
        return lowerExpr(new TreePath(path, ((ParenthesizedTree) tree).getExpression()));
      }
      case INT_LITERAL, LONG_LITERAL, FLOAT_LITERAL, DOUBLE_LITERAL, BOOLEAN_LITERAL,
          CHAR_LITERAL -> {
        return new Expr.Const(((LiteralTree) tree).getValue(), type);
      }
      case IDENTIFIER, MEMBER_SELECT -> {
        return lowerName(path, type);
      }
      case UNARY_MINUS, UNARY_PLUS, LOGICAL_COMPLEMENT, BITWISE_COMPLEMENT -> {
        Expr operand = coerce(lowerExpr(new TreePath(path, ((UnaryTree) tree).getExpression())),
            type);
        UnaryOp op = switch (tree.getKind()) {
          case UNARY_MINUS -> UnaryOp.NEG;
          case UNARY_PLUS -> UnaryOp.PLUS;
          case LOGICAL_COMPLEMENT -> UnaryOp.NOT;
          default -> UnaryOp.COMPLEMENT;
        };
        if (op == UnaryOp.PLUS) {
          return operand;
        }
        return new Expr.Unary(op, operand, type);
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        return unsupported(path, "increment and decrement inside an expression are not "
            + "supported; write it as a statement of its own", type);
      }
      case ASSIGNMENT, PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT -> {
        return unsupported(path, "assignment inside an expression is not supported; write it "
            + "as a statement of its own", type);
      }
      case CONDITIONAL_EXPRESSION -> {
        ConditionalExpressionTree ct = (ConditionalExpressionTree) tree;
        Expr c = lowerExpr(new TreePath(path, ct.getCondition()));
        Expr a = coerce(lowerExpr(new TreePath(path, ct.getTrueExpression())), type);
        Expr b = coerce(lowerExpr(new TreePath(path, ct.getFalseExpression())), type);
        return new Expr.Conditional(c, a, b, type);
      }
      case TYPE_CAST -> {
        Expr operand = lowerExpr(new TreePath(path, ((TypeCastTree) tree).getExpression()));
        if (type == null || !operand.type().isNumeric() && !operand.type().equals(type)) {
          return unsupported(path, "this cast is not supported; only casts between primitive "
              + "numeric types are", Type.DOUBLE);
        }
        return operand.type().equals(type) ? operand : new Expr.Cast(type, operand, true);
      }
      case METHOD_INVOCATION -> {
        return lowerCall(path, (MethodInvocationTree) tree, type);
      }
      case NEW_CLASS -> {
        return unsupported(path, "object creation is not supported in @Differentiable methods; "
            + "they compute with primitive values only", Type.DOUBLE);
      }
      case NEW_ARRAY -> {
        return unsupported(path, "arrays are not supported yet in @Differentiable methods",
            Type.DOUBLE);
      }
      case ARRAY_ACCESS -> {
        return unsupported(path, "array elements are not supported yet in @Differentiable "
            + "methods; pass the values as scalar parameters", type == null ? Type.DOUBLE : type);
      }
      case LAMBDA_EXPRESSION, MEMBER_REFERENCE -> {
        return unsupported(path, "lambdas and method references are not supported in "
            + "@Differentiable methods; call a @Differentiable method directly", Type.DOUBLE);
      }
      case SWITCH_EXPRESSION -> {
        return unsupported(path, "switch expressions are not supported in @Differentiable "
            + "methods; use the ?: operator or if/else", Type.DOUBLE);
      }
      case INSTANCE_OF -> {
        return unsupported(path, "instanceof is not supported in @Differentiable methods",
            Type.BOOLEAN);
      }
      default -> {
        if (tree instanceof BinaryTree bt) {
          return lowerBinary(path, bt, type);
        }
        return unsupported(path, "this expression (" + describe(tree.getKind()) + ") is not "
            + "supported in @Differentiable methods", type == null ? Type.DOUBLE : type);
      }
    }
  }

  private Expr lowerName(TreePath path, Type type) {
    Element e = trees.getElement(path);
    if (e == null) {
      return unsupported(path, "cannot resolve this name", Type.DOUBLE);
    }
    Var v = vars.get(e);
    if (v != null) {
      return new Expr.Read(v);
    }
    if (e.getKind() == ElementKind.FIELD) {
      VariableElement field = (VariableElement) e;
      if (type == null || type.dims() > 0) {
        return unsupported(path, "field '" + field.getSimpleName() + "' has type "
            + field.asType() + "; @Differentiable methods can read only primitive constants",
            Type.DOUBLE);
      }
      Object constant = field.getConstantValue();
      if (constant != null) {
        return new Expr.Const(constant, type);
      }
      if (!field.getModifiers().contains(Modifier.STATIC)
          || !field.getModifiers().contains(Modifier.FINAL)) {
        return unsupported(path, "@Differentiable methods can read only static final fields; '"
            + field.getSimpleName() + "' can change, so pass it as a parameter", type);
      }
      if (field.getModifiers().contains(Modifier.PRIVATE)) {
        return unsupported(path, "the generated gradient class cannot read private field '"
            + field.getSimpleName() + "'; make it package-private", type);
      }
      TypeElement owner = (TypeElement) field.getEnclosingElement();
      return new Expr.StaticField(owner.getQualifiedName().toString(),
          field.getSimpleName().toString(), type);
    }
    if (path.getLeaf() instanceof MemberSelectTree ms
        && ms.getIdentifier().contentEquals("length")) {
      return unsupported(path, "arrays are not supported yet in @Differentiable methods", type);
    }
    return unsupported(path, "'" + e.getSimpleName() + "' cannot be used in a @Differentiable "
        + "method; only parameters, locals and static final constants can", Type.DOUBLE);
  }

  private Expr lowerBinary(TreePath path, BinaryTree bt, Type type) {
    BinaryOp op = binaryOp(bt.getKind());
    if (op == null) {
      return unsupported(path, "operator " + describe(bt.getKind()) + " is not supported",
          Type.DOUBLE);
    }
    Expr l = lowerExpr(new TreePath(path, bt.getLeftOperand()));
    Expr r = lowerExpr(new TreePath(path, bt.getRightOperand()));
    if (type == null) {
      return unsupported(path, "string concatenation and operations on objects are not "
          + "supported in @Differentiable methods", Type.DOUBLE);
    }
    Type operands;
    switch (op) {
      case SHL, SHR, USHR -> {
        return new Expr.Binary(op, coerce(l, type), r, type);
      }
      case AND, OR -> operands = Type.BOOLEAN;
      default -> operands = l.type().isNumeric() && r.type().isNumeric()
          ? Type.promote(l.type(), r.type()) : l.type();
    }
    if (!l.type().isNumeric() && !l.type().equals(Type.BOOLEAN)
        || !r.type().isNumeric() && !r.type().equals(Type.BOOLEAN)) {
      return unsupported(path, "operator " + op.symbol + " is supported only on primitive "
          + "values", Type.DOUBLE);
    }
    return new Expr.Binary(op, coerce(l, operands), coerce(r, operands), type);
  }

  private Expr lowerCall(TreePath path, MethodInvocationTree mt, Type type) {
    Element e = trees.getElement(path);
    if (!(e instanceof ExecutableElement method)) {
      return unsupported(path, "cannot resolve this method", Type.DOUBLE);
    }
    CalleeResolver.Resolution r = callees.resolve(method);
    if (r instanceof CalleeResolver.Unsupported u) {
      return unsupported(path, u.message(), type == null ? Type.DOUBLE : type);
    }
    if (type == null) {
      return unsupported(path, "calls returning " + method.getReturnType() + " are not "
          + "supported in @Differentiable methods", Type.DOUBLE);
    }
    List<Expr> args = new ArrayList<>();
    List<? extends ExpressionTree> argTrees = mt.getArguments();
    if (method.isVarArgs()) {
      return unsupported(path, "variable-arity methods are not supported in @Differentiable "
          + "methods", type);
    }
    for (int i = 0; i < argTrees.size(); i++) {
      Type paramType = TypeMapping.of(method.getParameters().get(i).asType());
      Expr arg = lowerExpr(new TreePath(path, argTrees.get(i)));
      if (paramType == null) {
        return unsupported(new TreePath(path, argTrees.get(i)), "this argument has a type "
            + "that @Differentiable methods do not support", type);
      }
      args.add(coerce(arg, paramType));
    }
    if (r instanceof CalleeResolver.Library lib) {
      return new Expr.LibraryCall(lib.owner(), method.getSimpleName().toString(),
          List.copyOf(args), type);
    }
    var callee = ((CalleeResolver.Differentiable) r).callee();
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      return unsupported(path, "the generated gradient class cannot call private method "
          + method.getSimpleName() + "; make it package-private", type);
    }
    return new Expr.DiffCall(callee, List.copyOf(args), type);
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
    boolean taken = vars.values().stream().anyMatch(v -> v.name().equals(name));
    return taken ? names.allocate(name) : name;
  }


  private javax.lang.model.type.TypeMirror returnTypeOf(TreePath path) {
    TreePath p = path;
    while (p != null && !(p.getLeaf() instanceof MethodTree)) {
      p = p.getParentPath();
    }
    ExecutableElement m = (ExecutableElement) trees.getElement(p);
    return m.getReturnType();
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
