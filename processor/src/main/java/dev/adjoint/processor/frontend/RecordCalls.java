package dev.adjoint.processor.frontend;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;

/**
 * Calls of {@code @Differentiable} methods that take records: instance methods of a record
 * ({@code this.layer(h, l)}, {@code layer(h, l)}, {@code model.loss(x)}) and methods with record
 * parameters. The receiver and each record argument are passed as their leaves (see
 * {@link RecordFlattening}); the back end rebuilds the records in the printed call.
 */
final class RecordCalls {
  private final LoweringScope scope;
  private final ExpressionLowering expressions;
  private final CalleeResolver callees;

  RecordCalls(LoweringScope scope, ExpressionLowering expressions, CalleeResolver callees) {
    this.scope = scope;
    this.expressions = expressions;
    this.callees = callees;
  }

  /** True when {@code m} is an instance method of a record or has a record parameter. */
  static boolean takesRecords(ExecutableElement m) {
    if (!m.getModifiers().contains(Modifier.STATIC)
        && RecordShapes.recordOf(m.getEnclosingElement().asType()) != null) {
      return true;
    }
    return m.getParameters().stream()
        .anyMatch(p -> RecordShapes.recordOf(p.asType()) != null);
  }

  Expr lower(TreePath path, MethodInvocationTree mt, ExecutableElement method) {
    String display = method.getEnclosingElement().getSimpleName() + "."
        + method.getSimpleName();
    Type type = TypeMapping.of(method.getReturnType());
    Type placeholder = type == null ? Type.DOUBLE : type;
    CalleeResolver.Resolution r = callees.resolve(method);
    if (r instanceof CalleeResolver.Unsupported u) {
      return scope.unsupported(path, placeholder, u.message(), u.args().toArray());
    }
    if (!(r instanceof CalleeResolver.Differentiable d)) {
      return scope.unsupported(path, placeholder, Message.INSTANCE_CALL, display);
    }
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      return scope.unsupported(path, placeholder, Message.PRIVATE_METHOD,
          method.getSimpleName());
    }
    if (type == null) {
      return scope.unsupported(path, Type.DOUBLE, Message.CALL_RESULT_TYPE,
          method.getReturnType());
    }
    List<Expr> args = new ArrayList<>();
    // The source expression each flattened argument comes from, for errors about one argument.
    List<TreePath> argPaths = new ArrayList<>();
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      RecordValue receiver;
      TreePath receiverPath = mt.getMethodSelect() instanceof MemberSelectTree ms
          ? new TreePath(path, ms.getExpression()) : path;
      if (mt.getMethodSelect() instanceof MemberSelectTree) {
        receiver = expressions.records.valueOf(receiverPath);
      } else {
        receiver = mt.getMethodSelect() instanceof IdentifierTree ? scope.self : null;
      }
      if (receiver == null) {
        return scope.unsupported(path, type, Message.RECORD_RECEIVER, display);
      }
      List<Expr> reads = expressions.records.reads(receiver);
      args.addAll(reads);
      reads.forEach(e -> argPaths.add(receiverPath));
    }
    for (int i = 0; i < mt.getArguments().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      TreePath argPath = new TreePath(path, mt.getArguments().get(i));
      if (RecordShapes.recordOf(p.asType()) != null) {
        RecordValue value = expressions.records.valueOf(argPath);
        if (value == null) {
          return scope.unsupported(argPath, type, Message.RECORD_ARGUMENT,
              mt.getArguments().get(i), p.getSimpleName(), display);
        }
        List<Expr> reads = expressions.records.reads(value);
        args.addAll(reads);
        reads.forEach(e -> argPaths.add(argPath));
      } else {
        args.add(LoweringScope.coerce(expressions.lowerExpr(argPath),
            TypeMapping.of(p.asType())));
        argPaths.add(argPath);
      }
    }
    Callee callee = d.callee();
    if (!expressions.bindArrayCallArguments(path, args)) {
      return new Expr.Const(0.0, type);
    }
    for (int i = 0; i < args.size(); i++) {
      Callee.Param p = callee.params().get(i);
      if (!p.differentiable() && p.type().isDifferentiable()) {
        scope.dropped.passedToNoDerivative(args.get(i), argPaths.get(i), display, p.name(), null);
      }
    }
    return new Expr.DiffCall(callee, List.copyOf(args), type);
  }
}
