package dev.adjoint.processor.frontend;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Lowers a print for debugging, {@code System.out.println("y = " + y);} (also {@code print},
 * {@code printf}, {@code format}, and on {@code System.err}), to a {@link Stmt.Eval} of an
 * {@link Expr.Print}, which the generated code runs where the user's code ran it, once. Its
 * arguments may be any expression of a primitive value (active ones too: nothing is
 * differentiated), String literals, String and enum parameters, and {@code +} concatenations of
 * these; anything else is a problem on that argument saying what can be printed.
 */
public final class PrintLowering {
  private static final Set<String> METHODS = Set.of("println", "print", "printf", "format");

  private final LoweringScope scope;
  private final ExpressionLowering expressions;

  PrintLowering(LoweringScope scope, ExpressionLowering expressions) {
    this.scope = scope;
    this.expressions = expressions;
  }

  /** The stream ({@code out} or {@code err}) a call on {@code System.out}/{@code err} prints to. */
  public static String stream(MethodInvocationTree call) {
    if (!(call.getMethodSelect() instanceof MemberSelectTree method)
        || !(method.getExpression() instanceof MemberSelectTree field)) {
      return null;
    }
    String owner = field.getExpression().toString();
    String name = field.getIdentifier().toString();
    return (owner.equals("System") || owner.equals("java.lang.System"))
        && (name.equals("out") || name.equals("err")) ? name : null;
  }

  /**
   * The print {@code path} (a call on {@code System.out} or {@code System.err}) lowered, or null
   * with the problem reported.
   */
  Stmt lower(TreePath path, String stream) {
    MethodInvocationTree call = (MethodInvocationTree) path.getLeaf();
    String method = ((MemberSelectTree) call.getMethodSelect()).getIdentifier().toString();
    if (!METHODS.contains(method)) {
      scope.problem(path, Message.PRINT_METHOD, stream, method);
      return null;
    }
    int before = scope.problems.size();
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      args.add(argument(new TreePath(path, a)));
    }
    if (scope.problems.size() > before) {
      return null;
    }
    return new Stmt.Eval(new Expr.Print(stream, method, List.copyOf(args)));
  }

  /**
   * A printed value: a primitive one (any supported expression), a String literal or constant,
   * a String or enum parameter, or a concatenation of these.
   */
  private Expr argument(TreePath path) {
    Tree tree = path.getLeaf();
    if (tree instanceof ParenthesizedTree p) {
      return argument(new TreePath(path, p.getExpression()));
    }
    if (isText(path)) {
      if (tree.getKind() == Tree.Kind.STRING_LITERAL) {
        return new Expr.Const(((LiteralTree) tree).getValue(), Type.STRING);
      }
      if (tree.getKind() == Tree.Kind.PLUS) {
        BinaryTree b = (BinaryTree) tree;
        Expr left = argument(new TreePath(path, b.getLeftOperand()));
        Expr right = argument(new TreePath(path, b.getRightOperand()));
        return new Expr.Binary(BinaryOp.ADD, left, right, Type.STRING);
      }
      if (scope.trees.getElement(path) instanceof VariableElement v
          && v.getConstantValue() instanceof String text) {
        return new Expr.Const(text, Type.STRING); // a static final constant
      }
      return parameter(tree) ? expressions.lowerExpr(path) : notPrintable(path);
    }
    if (parameter(tree)) {
      return expressions.lowerExpr(path); // an enum parameter
    }
    if (tree.getKind() == Tree.Kind.NEW_ARRAY || tree.getKind() == Tree.Kind.NEW_CLASS
        || tree.getKind() == Tree.Kind.METHOD_INVOCATION
        && scope.trees.getElement(path) instanceof ExecutableElement m
        && !m.getReturnType().getKind().isPrimitive()) {
      return notPrintable(path);
    }
    int before = scope.problems.size();
    Expr value = expressions.lowerExpr(path);
    if (scope.problems.size() == before && (value.type().dims() > 0
        || value.type().prim() == Type.Prim.REFERENCE)) {
      return notPrintable(path); // an array (Java would print its identity)
    }
    return value;
  }

  /** True for a String or enum parameter (which the scope knows under its name). */
  private boolean parameter(Tree tree) {
    if (!(tree instanceof IdentifierTree id)) {
      return false;
    }
    Var v = scope.lookup(id.getName().toString());
    return v != null && TypeMapping.isSelectable(v.type());
  }

  /**
   * True when the expression at {@code path} is a String (which makes a {@code +} a
   * concatenation): a literal, a String variable or constant, a call returning one, or a
   * {@code +} with a String operand.
   */
  private boolean isText(TreePath path) {
    Tree tree = path.getLeaf();
    return switch (tree.getKind()) {
      case STRING_LITERAL -> true;
      case PARENTHESIZED -> isText(new TreePath(path, ((ParenthesizedTree) tree).getExpression()));
      case PLUS -> isText(new TreePath(path, ((BinaryTree) tree).getLeftOperand()))
          || isText(new TreePath(path, ((BinaryTree) tree).getRightOperand()));
      case IDENTIFIER, MEMBER_SELECT -> {
        Var v = tree instanceof IdentifierTree id ? scope.lookup(id.getName().toString()) : null;
        if (v != null) {
          yield Type.STRING.equals(v.type());
        }
        yield scope.trees.getElement(path) instanceof VariableElement e && isString(e.asType());
      }
      case METHOD_INVOCATION -> scope.trees.getElement(path) instanceof ExecutableElement m
          && isString(m.getReturnType());
      default -> false;
    };
  }

  private Expr notPrintable(TreePath path) {
    return scope.unsupported(path, Type.STRING, Message.PRINT_ARGUMENT, path.getLeaf());
  }

  private static boolean isString(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED && ((DeclaredType) t).asElement().toString()
        .equals(TypeMapping.STRING);
  }
}
