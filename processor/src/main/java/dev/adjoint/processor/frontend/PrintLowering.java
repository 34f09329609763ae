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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    TypeMirror t = scope.trees.getTypeMirror(path);
    if (t == null) {
      return notPrintable(path);
    }
    if (t.getKind().isPrimitive()) {
      return expressions.lowerExpr(path);
    }
    if (tree.getKind() == Tree.Kind.STRING_LITERAL) {
      return new Expr.Const(((LiteralTree) tree).getValue(), Type.STRING);
    }
    if (scope.trees.getElement(path) instanceof VariableElement v
        && v.getConstantValue() instanceof String text) {
      return new Expr.Const(text, Type.STRING); // a static final constant
    }
    if (tree.getKind() == Tree.Kind.PLUS && isString(t)) {
      BinaryTree b = (BinaryTree) tree;
      Expr left = argument(new TreePath(path, b.getLeftOperand()));
      Expr right = argument(new TreePath(path, b.getRightOperand()));
      return new Expr.Binary(BinaryOp.ADD, left, right, Type.STRING);
    }
    if (tree instanceof IdentifierTree id && TypeMapping.isSelectable(TypeMapping.ofParameter(t))
        && scope.lookup(id.getName().toString()) != null) {
      return expressions.lowerExpr(path); // a String or enum parameter
    }
    return notPrintable(path);
  }

  private Expr notPrintable(TreePath path) {
    return scope.unsupported(path, Type.STRING, Message.PRINT_ARGUMENT, path.getLeaf());
  }

  private static boolean isString(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED && ((DeclaredType) t).asElement().toString()
        .equals(TypeMapping.STRING);
  }
}
