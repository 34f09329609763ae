package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.RecordShape;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The records {@code @Differentiable} methods take as parameters and receivers: which types are
 * such records, and their {@link RecordShape}. A record qualifies when it is top-level or a
 * member of a class, not generic, and each of its components is a primitive, an array of
 * primitives of at most two dimensions, or a record that qualifies.
 */
public final class RecordShapes {
  private RecordShapes() {}

  /**
   * The outcome for one type: its shape, or the reason it cannot be flattened.
   *
   * @param shape the shape, or null
   * @param message the problem, or null
   * @param args the arguments of the message
   */
  public record Result(RecordShape shape, Message message, List<Object> args) {
    static Result problem(Message message, Object... args) {
      return new Result(null, message, List.of(args));
    }
  }

  /** The record element of {@code t}, or null when it is not a record type. */
  public static TypeElement recordOf(TypeMirror t) {
    if (t != null && t.getKind() == TypeKind.DECLARED
        && ((DeclaredType) t).asElement() instanceof TypeElement e
        && e.getKind() == ElementKind.RECORD) {
      return e;
    }
    return null;
  }

  /** True when {@code t} is a class or interface type other than a record (and not a String). */
  public static boolean isOtherObject(TypeMirror t) {
    return t != null && t.getKind() == TypeKind.DECLARED && recordOf(t) == null;
  }

  /** The shape of record type {@code t}, or why it cannot be a differentiable value. */
  public static Result of(TypeMirror t) {
    TypeElement record = recordOf(t);
    if (record == null) {
      return Result.problem(Message.PARAMETER_TYPE, "?", t);
    }
    return of(record, new ArrayList<>());
  }

  private static Result of(TypeElement record, List<TypeElement> enclosing) {
    String name = record.getSimpleName().toString();
    if (enclosing.contains(record)) {
      return Result.problem(Message.RECORD_RECURSIVE, name);
    }
    if (record.getNestingKind() == NestingKind.LOCAL
        || record.getNestingKind() == NestingKind.ANONYMOUS) {
      return Result.problem(Message.RECORD_LOCAL, name);
    }
    if (!record.getTypeParameters().isEmpty()) {
      return Result.problem(Message.RECORD_GENERIC, name);
    }
    if (record.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
      return Result.problem(Message.RECORD_PRIVATE, name);
    }
    enclosing.add(record);
    List<RecordShape.Component> components = new ArrayList<>();
    for (RecordComponentElement c : ElementFilter.recordComponentsIn(
        record.getEnclosedElements())) {
      TypeMirror ct = c.asType();
      Type leaf = TypeMapping.of(ct);
      if (leaf != null && leaf.dims() <= 2) {
        components.add(new RecordShape.Component(c.getSimpleName().toString(), leaf, null));
        continue;
      }
      TypeElement nested = recordOf(ct);
      if (nested != null) {
        Result inner = of(nested, enclosing);
        if (inner.shape() == null) {
          return inner;
        }
        components.add(new RecordShape.Component(c.getSimpleName().toString(), null,
            inner.shape()));
        continue;
      }
      return Result.problem(Message.RECORD_COMPONENT_TYPE, name, c.getSimpleName(), ct,
          c.getSimpleName());
    }
    enclosing.remove(enclosing.size() - 1);
    String pkg = GradNames.packageName(record);
    String qualified = record.getQualifiedName().toString();
    return new Result(new RecordShape(pkg,
        pkg.isEmpty() ? qualified : qualified.substring(pkg.length() + 1),
        List.copyOf(components)), null, List.of());
  }
}
