package dev.adjoint.processor.frontend;

import static dev.adjoint.processor.frontend.LoweringScope.coerce;
import static dev.adjoint.processor.frontend.LoweringScope.describe;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Lowers expressions, typing them as javac does for the supported subset and making implicit
 * conversions explicit: literals, names and constants, operators, {@code ?:}, casts, array
 * creation and indexing, and calls (resolved by {@link CalleeResolver}). Array-valued call
 * results that need a name are bound to fresh locals declared before the current statement.
 */
final class ExpressionLowering {
  private final LoweringScope scope;
  private final CalleeResolver callees;
  final AssignmentLowering assignments;
  /** Set by {@link StatementLowering}, which switch statements need. */
  SwitchLowering switches;

  /** Reads of record components (see {@link RecordFlattening}). */
  final RecordFlattening records;

  ExpressionLowering(LoweringScope scope, CalleeResolver callees) {
    this.scope = scope;
    this.callees = callees;
    this.records = new RecordFlattening(scope, this);
    this.assignments = new AssignmentLowering(scope, this);
  }

  Expr lowerExpr(TreePath path) {
    return lowerExpr(path, null);
  }

  /**
   * Lowers an expression, computing its type as javac would for the supported subset.
   * {@code expected} is the type the context needs, used only by array initialisers.
   */
  Expr lowerExpr(TreePath path, Type expected) {
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
          return unsupported(path, Type.DOUBLE, Message.OPERAND_NOT_A_NUMBER);
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
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT, ASSIGNMENT,
          PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT, LEFT_SHIFT_ASSIGNMENT, RIGHT_SHIFT_ASSIGNMENT,
          UNSIGNED_RIGHT_SHIFT_ASSIGNMENT, AND_ASSIGNMENT, OR_ASSIGNMENT, XOR_ASSIGNMENT -> {
        return assignments.lower(path, scope.sourceText.of(tree), true);
      }
      case CONDITIONAL_EXPRESSION -> {
        ConditionalExpressionTree ct = (ConditionalExpressionTree) tree;
        Expr c = lowerExpr(new TreePath(path, ct.getCondition()));
        int mark = scope.pending.size();
        Expr a = lowerExpr(new TreePath(path, ct.getTrueExpression()), expected);
        Expr b = lowerExpr(new TreePath(path, ct.getFalseExpression()), expected);
        if (scope.effectsSince(mark)) {
          return unsupported(path, a.type(), Message.EFFECT_IN_BRANCH, "a branch of ?:");
        }
        Type type = a.type().isNumeric() && b.type().isNumeric()
            ? conditionalType(a, b) : a.type();
        if (!a.type().isNumeric() && !a.type().equals(b.type())) {
          return unsupported(path, Type.DOUBLE, Message.CONDITIONAL_TYPES);
        }
        if (type.isFloatingArray()) {
          // which array's adjoint receives the derivative would depend on the branch taken
          return unsupported(path, type, Message.CONDITIONAL_ARRAY);
        }
        return new Expr.Conditional(c, coerce(a, type), coerce(b, type), type);
      }
      case TYPE_CAST -> {
        TypeCastTree ct = (TypeCastTree) tree;
        Type type = NameResolver.typeOf(ct.getType());
        Expr operand = lowerExpr(new TreePath(path, ct.getExpression()));
        if (type == null || type.dims() > 0 || !operand.type().isNumeric()) {
          return unsupported(path, Type.DOUBLE, Message.CAST);
        }
        return operand.type().equals(type) ? operand : new Expr.Cast(type, operand, true);
      }
      case METHOD_INVOCATION -> {
        return lowerCall(path, (MethodInvocationTree) tree);
      }
      case NEW_CLASS -> {
        javax.lang.model.element.Element created = scope.trees.getElement(new TreePath(path,
            ((com.sun.source.tree.NewClassTree) tree).getIdentifier()));
        if (created != null && created.getKind() == javax.lang.model.element.ElementKind.RECORD) {
          return unsupported(path, Type.DOUBLE, Message.RECORD_CREATION,
              created.getSimpleName());
        }
        return unsupported(path, Type.DOUBLE, Message.OBJECT_CREATION);
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
          return unsupported(path, Type.DOUBLE, Message.ARRAY_OF_OBJECTS);
        }
        List<Expr> dims = new ArrayList<>();
        List<Integer> marks = new ArrayList<>();
        for (ExpressionTree d : nt.getDimensions()) {
          marks.add(scope.pending.size());
          dims.add(coerce(lowerExpr(new TreePath(path, d)), Type.INT));
        }
        stabilize(dims, marks);
        List<Expr> elements = null;
        if (nt.getInitializers() != null) {
          elements = new ArrayList<>();
          marks.clear();
          for (ExpressionTree x : nt.getInitializers()) {
            marks.add(scope.pending.size());
            elements.add(coerce(lowerExpr(new TreePath(path, x), type.component()),
                type.component()));
          }
          stabilize(elements, marks);
        }
        return new Expr.NewArray(type, List.copyOf(dims),
            elements == null ? null : List.copyOf(elements));
      }
      case ARRAY_ACCESS -> {
        ArrayAccessTree at = (ArrayAccessTree) tree;
        int before = scope.problems.size();
        Expr array = lowerExpr(new TreePath(path, at.getExpression()));
        int mark = scope.pending.size();
        Expr index = coerce(lowerExpr(new TreePath(path, at.getIndex())), Type.INT);
        array = scope.stable(array, mark);
        if (scope.problems.size() > before) {
          return new Expr.Const(0.0, Type.DOUBLE); // already reported, where it is
        }
        if (array.type().dims() == 0) {
          return unsupported(path, Type.DOUBLE, Message.INDEX_NOT_AN_ARRAY);
        }
        if (array instanceof Expr.DiffCall || array instanceof Expr.CustomCall) {
          // The element's adjoint needs an array to live in: bind the result to a local.
          if (scope.inLoopHeader) {
            return unsupported(path, Type.DOUBLE, Message.INDEXED_CALL_NESTED);
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
        return unsupported(path, Type.DOUBLE, Message.LAMBDA);
      }
      case SWITCH_EXPRESSION -> {
        return switches.lowerExpression(path);
      }
      case STRING_LITERAL -> {
        // only to hand on to a String parameter (which a callee may switch over)
        if (path.getParentPath().getLeaf() instanceof MethodInvocationTree) {
          return new Expr.Const(((LiteralTree) tree).getValue(),
              Type.reference(TypeMapping.STRING));
        }
        return unsupported(path, Type.DOUBLE, Message.STRING_OR_NULL);
      }
      case NULL_LITERAL -> {
        String array = arrayGivenNull(path);
        return array != null ? unsupported(path, Type.DOUBLE, Message.NULL_ARRAY, array, array)
            : unsupported(path, Type.DOUBLE, Message.STRING_OR_NULL);
      }
      case INSTANCE_OF -> {
        return unsupported(path, Type.BOOLEAN, Message.INSTANCEOF);
      }
      default -> {
        if (tree instanceof BinaryTree bt) {
          return lowerBinary(path, bt);
        }
        return unsupported(path, Type.DOUBLE, Message.EXPRESSION, describe(tree.getKind()));
      }
    }
  }

  /**
   * Saves each value read before a later one's assignments: {@code marks.get(i)} is the size of
   * {@link LoweringScope#pending} before {@code values.get(i)} was lowered.
   */
  private void stabilize(List<Expr> values, List<Integer> marks) {
    for (int i = values.size() - 2; i >= 0; i--) {
      values.set(i, scope.stable(values.get(i), marks.get(i + 1)));
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
   * adjoints have a name: {@code relu(dense(x))} becomes {@code t = dense(x); relu(t)}, just
   * before the statement (in a loop body, once per iteration); not in a loop's condition or
   * update, which have no statement to go before.
   */
  boolean bindArrayCallArguments(TreePath path, List<Expr> args) {
    for (int i = 0; i < args.size(); i++) {
      Expr a = args.get(i);
      if (a.type().dims() > 0 && (a instanceof Expr.DiffCall || a instanceof Expr.CustomCall)) {
        // In a loop's condition or update the call runs on every test: no statement of the
        // body can bind it.
        if (scope.inLoopHeader) {
          problem(path, Message.ARRAY_CALL_ARGUMENT_NESTED);
          return false;
        }
        Var t = new Var(scope.uniqueName(scope.names.allocate("t")), "t", a.type(), Var.Kind.LOCAL);
        scope.declaredNames.add(t.name());
        scope.pending.add(new Stmt.Declare(t, a, scope.sourceText.of(path.getLeaf())));
        args.set(i, new Expr.Read(t));
      }
    }
    return true;
  }

  private Expr lowerIdentifier(TreePath path, IdentifierTree id) {
    String name = id.getName().toString();
    Var v = scope.lookup(name);
    if (v != null) {
      Expr alias = scope.aliasExprs.get(v);
      return alias != null ? alias : new Expr.Read(v);
    }
    Expr leaf = records.field(path);
    if (leaf != null) {
      return leaf;
    }
    if (records.valueOf(path) != null) {
      return unsupported(path, Type.DOUBLE, Message.RECORD_VALUE, name, name);
    }
    VariableElement field = scope.resolver.resolveField(name);
    if (field != null) {
      return lowerField(path, field);
    }
    return unsupported(path, Type.DOUBLE, Message.UNKNOWN_NAME, name);
  }

  private Expr lowerMemberSelect(TreePath path, MemberSelectTree ms) {
    String member = ms.getIdentifier().toString();
    Expr leaf = records.field(path);
    if (leaf != null) {
      return leaf;
    }
    if (records.valueOf(path) != null) {
      return unsupported(path, Type.DOUBLE, Message.RECORD_VALUE, ms, ms);
    }
    TypeElement owner = scope.resolver.resolveType(ms.getExpression());
    if (owner != null) {
      VariableElement field = scope.resolver.field(owner, member);
      if (field != null) {
        return lowerField(path, field);
      }
      return unsupported(path, Type.DOUBLE, Message.UNKNOWN_FIELD, member,
          owner.getSimpleName());
    }
    Expr target = lowerExpr(new TreePath(path, ms.getExpression()));
    if (member.equals("length") && target.type().dims() > 0) {
      return new Expr.Length(target);
    }
    return unsupported(path, Type.DOUBLE, Message.MEMBER, ms);
  }

  private Expr lowerField(TreePath path, VariableElement field) {
    Type type = TypeMapping.of(field.asType());
    if (type == null) {
      // an enum constant or a String constant: to switch over or to hand on
      type = TypeMapping.ofParameter(field.asType());
    }
    if (type == null) {
      return unsupported(path, Type.DOUBLE, Message.FIELD_TYPE, field.getSimpleName(),
          field.asType());
    }
    if (type.dims() > 0 && !readsElements(path)) {
      // A table read as a constant: by element only, never handed on or aliased.
      return unsupported(path, Type.DOUBLE, Message.ARRAY_FIELD, field.getSimpleName(),
          field.getSimpleName());
    }
    if (!field.getModifiers().contains(Modifier.STATIC)
        || !field.getModifiers().contains(Modifier.FINAL)) {
      return unsupported(path, type, Message.MUTABLE_FIELD, field.getSimpleName());
    }
    Object constant = field.getConstantValue();
    if (constant != null) {
      return new Expr.Const(constant, type);
    }
    if (field.getModifiers().contains(Modifier.PRIVATE)) {
      return unsupported(path, type, Message.PRIVATE_FIELD, field.getSimpleName());
    }
    TypeElement owner = (TypeElement) field.getEnclosingElement();
    return new Expr.StaticField(owner.getQualifiedName().toString(),
        field.getSimpleName().toString(), type);
  }

  /** True when the array at {@code path} is indexed, asked its length or looped over. */
  private static boolean readsElements(TreePath path) {
    Tree parent = path.getParentPath().getLeaf();
    return parent instanceof ArrayAccessTree a && a.getExpression() == path.getLeaf()
        || parent instanceof MemberSelectTree m && m.getIdentifier().contentEquals("length")
        || parent instanceof com.sun.source.tree.EnhancedForLoopTree f
            && f.getExpression() == path.getLeaf();
  }

  private Expr lowerBinary(TreePath path, BinaryTree bt) {
    BinaryOp op = binaryOp(bt.getKind());
    if (op == null) {
      return unsupported(path, Type.DOUBLE, Message.OPERATOR, describe(bt.getKind()));
    }
    Expr l = lowerExpr(new TreePath(path, bt.getLeftOperand()));
    int mark = scope.pending.size();
    Expr r = lowerExpr(new TreePath(path, bt.getRightOperand()));
    if ((op == BinaryOp.AND || op == BinaryOp.OR) && scope.effectsSince(mark)) {
      return unsupported(path, Type.BOOLEAN, Message.EFFECT_IN_BRANCH,
          "the right operand of " + op.symbol);
    }
    l = scope.stable(l, mark);
    boolean numeric = l.type().isNumeric() && r.type().isNumeric();
    boolean bools = l.type().equals(Type.BOOLEAN) && r.type().equals(Type.BOOLEAN);
    switch (op) {
      case SHL, SHR, USHR -> {
        if (!l.type().isIntegral() || !r.type().isIntegral()) {
          return unsupported(path, Type.INT, Message.SHIFT_OPERANDS);
        }
        Type type = Type.promote(l.type(), Type.INT);
        return new Expr.Binary(op, coerce(l, type), coerce(r, Type.promote(r.type(), Type.INT)),
            type);
      }
      case AND, OR -> {
        if (!bools) {
          return unsupported(path, Type.BOOLEAN, Message.BOOLEAN_OPERANDS, op.symbol);
        }
        return new Expr.Binary(op, l, r, Type.BOOLEAN);
      }
      case BIT_AND, BIT_OR, XOR -> {
        if (bools) {
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        if (!l.type().isIntegral() || !r.type().isIntegral()) {
          return unsupported(path, Type.INT, Message.BITWISE_OPERANDS, op.symbol);
        }
        Type type = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, type), coerce(r, type), type);
      }
      case EQ, NE -> {
        if (bools || TypeMapping.isSelectable(l.type()) && l.type().equals(r.type())
            && !l.type().className().equals(TypeMapping.STRING)) {
          // booleans, or enum constants, which are compared by identity
          return new Expr.Binary(op, l, r, Type.BOOLEAN);
        }
        if (!numeric) {
          return unsupported(path, Type.BOOLEAN, Message.EQUALITY_OPERANDS, op.symbol);
        }
        Type operands = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, operands), coerce(r, operands), Type.BOOLEAN);
      }
      case LT, LE, GT, GE -> {
        if (!numeric) {
          return unsupported(path, Type.BOOLEAN, Message.COMPARISON_OPERANDS, op.symbol);
        }
        Type operands = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, operands), coerce(r, operands), Type.BOOLEAN);
      }
      default -> {
        if (!numeric) {
          return unsupported(path, Type.DOUBLE, Message.ARITHMETIC_OPERANDS, op.symbol);
        }
        Type type = Type.promote(l.type(), r.type());
        return new Expr.Binary(op, coerce(l, type), coerce(r, type), type);
      }
    }
  }

  private Expr lowerCall(TreePath path, MethodInvocationTree mt) {
    Object component = records.accessed(path, mt);
    if (component instanceof Var v) {
      return records.read(v);
    }
    if (component != null) {
      return unsupported(path, Type.DOUBLE, Message.RECORD_VALUE, mt, mt);
    }
    if (scope.trees.getElement(path) instanceof ExecutableElement m
        && RecordCalls.takesRecords(m)) {
      return new RecordCalls(scope, this, callees).lower(path, mt, m);
    }
    ExpressionTree select = mt.getMethodSelect();
    List<Expr> args = new ArrayList<>();
    List<Type> argTypes = new ArrayList<>();
    List<Integer> marks = new ArrayList<>();
    for (ExpressionTree a : mt.getArguments()) {
      marks.add(scope.pending.size());
      Expr arg = lowerExpr(new TreePath(path, a));
      args.add(arg);
      argTypes.add(arg.type());
    }
    stabilize(args, marks);
    NameResolver.MethodResult found;
    if (select instanceof IdentifierTree id) {
      found = scope.resolver.resolveMethod(id.getName().toString(), argTypes);
    } else {
      MemberSelectTree ms = (MemberSelectTree) select;
      TypeElement owner = scope.resolver.resolveType(ms.getExpression());
      if (owner == null) {
        if (ms.getIdentifier().contentEquals("clone") && mt.getArguments().isEmpty()) {
          Expr array = lowerExpr(new TreePath(path, ms.getExpression()));
          return copy(path, array, array.type().dims() > 0 ? new Expr.Length(array) : null);
        }
        return unsupported(path, Type.DOUBLE, Message.INSTANCE_CALL, ms);
      }
      if (owner.getQualifiedName().contentEquals("java.util.Arrays")
          && ms.getIdentifier().contentEquals("copyOf") && args.size() == 2
          && args.get(1).type().isIntegral() && !args.get(1).type().equals(Type.LONG)) {
        return copy(path, args.get(0), coerce(args.get(1), Type.INT));
      }
      found = scope.resolver.resolveMethod(owner, ms.getIdentifier().toString(), argTypes);
    }
    if (found.method() == null) {
      return unsupported(path, Type.DOUBLE, Message.UNRESOLVED_CALL, found.error());
    }
    ExecutableElement method = found.method();
    Type type = TypeMapping.of(method.getReturnType());
    if (StopGradients.is(method)) {
      return stopGradient(path, args.get(0), type);
    }
    CalleeResolver.Resolution r = callees.resolve(method);
    if (r instanceof CalleeResolver.Unsupported u) {
      return unsupported(path, type == null ? Type.DOUBLE : type, u.message(),
          u.args().toArray());
    }
    if (r instanceof CalleeResolver.Differentiable d && d.callee().outParameter() >= 0) {
      type = d.callee().returnType(); // a void method's value: its out-parameter's new values
    }
    if (type == null) {
      return unsupported(path, Type.DOUBLE, Message.CALL_RESULT_TYPE, method.getReturnType());
    }
    for (int i = 0; i < args.size(); i++) {
      args.set(i, coerce(args.get(i),
          TypeMapping.ofParameter(method.getParameters().get(i).asType())));
    }
    if (r instanceof CalleeResolver.Library lib) {
      return new Expr.LibraryCall(lib.owner(), method.getSimpleName().toString(),
          List.copyOf(args), type);
    }
    if (!bindArrayCallArguments(path, args)) {
      return new Expr.Const(0.0, Type.DOUBLE);
    }
    if (!checkDroppedDerivatives(path, mt, method, r, args)) {
      return new Expr.Const(0.0, type);
    }
    if (r instanceof CalleeResolver.Custom custom) {
      return new Expr.CustomCall(custom.pullback(), List.copyOf(args), type);
    }
    var callee = ((CalleeResolver.Differentiable) r).callee();
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      return unsupported(path, type, Message.PRIVATE_METHOD, method.getSimpleName());
    }
    return new Expr.DiffCall(callee, List.copyOf(args), type);
  }

  /**
   * {@code array.clone()} or {@code Arrays.copyOf(array, length)}: a new array, whose elements
   * the declaration it initialises copies in a loop ({@link LoweringScope#copyRequest}).
   */
  private Expr copy(TreePath path, Expr array, Expr length) {
    if (array.type().dims() != 1 || !scope.copyAllowed || scope.loopDepth > 0
        || scope.rootOf(array) == null) {
      return unsupported(path, Type.DOUBLE, Message.CLONE);
    }
    scope.copyAllowed = false;
    scope.copyRequest = new LoweringScope.CopyRequest(array, length);
    return new Expr.NewArray(array.type(), List.of(length), null);
  }

  /**
   * Records the arguments of {@code @NoDerivative} parameters, checked for derivatives they would
   * drop once the method is lowered (see {@link DroppedDerivatives}); false, with a problem, when
   * a stopped array goes to a differentiable parameter.
   */
  private boolean checkDroppedDerivatives(TreePath path, MethodInvocationTree mt,
      ExecutableElement method, CalleeResolver.Resolution r, List<Expr> args) {
    List<Callee.Param> params = r instanceof CalleeResolver.Custom custom
        ? custom.pullback().params() : ((CalleeResolver.Differentiable) r).callee().params();
    String pullback = r instanceof CalleeResolver.Custom custom
        ? custom.pullback().pullbackOwner() + "." + custom.pullback().pullbackMethod() : null;
    String display = method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
    for (int i = 0; i < args.size(); i++) {
      Callee.Param p = params.get(i);
      TreePath argPath = new TreePath(path, mt.getArguments().get(i));
      if (!p.differentiable() && p.type().isDifferentiable()) {
        scope.dropped.passedToNoDerivative(args.get(i), argPath, display, p.name(), pullback);
      } else if (scope.dropped.takeStoppedArray(args.get(i))) {
        problem(argPath, Message.STOPPED_ARRAY_TO_DIFFERENTIABLE, p.name(), display);
        return false;
      }
    }
    return true;
  }

  /**
   * {@code StopGradient.stopGradient(x)}: a scalar becomes a call with derivative zero; an array
   * stands for itself, and may only go to a {@code @NoDerivative} parameter.
   */
  private Expr stopGradient(TreePath path, Expr argument, Type type) {
    if (argument.type().dims() > 0) {
      scope.dropped.stoppedArray(argument, path);
      return argument;
    }
    return new Expr.LibraryCall(StopGradients.OWNER, StopGradients.METHOD, List.of(argument),
        type);
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
  private Expr unsupported(TreePath path, Type type, Message message, Object... args) {
    return scope.unsupported(path, type, message, args);
  }

  private void problem(TreePath path, Message message, Object... args) {
    scope.problem(path, message, args);
  }

  /**
   * The name of the array variable that {@code path}, a {@code null} literal (possibly in
   * parentheses or a branch of a conditional), initialises or is assigned, or null when it is
   * not one.
   */
  private String arrayGivenNull(TreePath path) {
    Tree child = path.getLeaf();
    TreePath p = path.getParentPath();
    while (p != null && (p.getLeaf() instanceof ParenthesizedTree
        || p.getLeaf() instanceof ConditionalExpressionTree c && c.getCondition() != child)) {
      child = p.getLeaf();
      p = p.getParentPath();
    }
    if (p == null) {
      return null;
    }
    if (p.getLeaf() instanceof com.sun.source.tree.VariableTree v
        && v.getType() instanceof com.sun.source.tree.ArrayTypeTree) {
      return v.getName().toString();
    }
    if (p.getLeaf() instanceof com.sun.source.tree.AssignmentTree a
        && a.getExpression() == child && a.getVariable() instanceof IdentifierTree id) {
      Var v = scope.lookup(id.getName().toString());
      return v != null && v.type().dims() > 0 ? v.sourceName() : null;
    }
    return null;
  }
}
