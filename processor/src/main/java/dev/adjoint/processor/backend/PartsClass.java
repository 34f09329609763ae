package dev.adjoint.processor.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Var;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * The private nested class holding the parts of a gradient method split by
 * {@link MethodSplitting}: one field per variable the parts share, one method per part.
 */
final class PartsClass {
  private PartsClass() {}

  /**
   * The class {@code name} for the parts of the gradient of {@code method}.
   *
   * @param typeOf the Java type of a parameter of the gradient method
   */
  static TypeSpec of(ClassName name, String method, MethodSplitting.Result split,
      Function<Var, TypeName> typeOf) {
    return of(name, CodeBlock.of("The gradient of {@code $L} in $L parts, as it is too large for "
        + "one JVM method (at most 64 KB of\nbytecode)", method, split.parts().size()), split,
        typeOf);
  }

  /**
   * The class {@code name} for the parts of forward-mode method {@code method} (a JVP or a
   * directional derivative), split so that HotSpot compiles them.
   *
   * @param typeOf the Java type of a parameter of the method
   */
  static TypeSpec ofForward(ClassName name, String method, MethodSplitting.Result split,
      Function<Var, TypeName> typeOf) {
    return of(name, CodeBlock.of("The body of {@code $L} in $L parts, as HotSpot does not "
        + "compile methods of more than 8 KB of\nbytecode", method, split.parts().size()), split,
        typeOf);
  }

  private static TypeSpec of(ClassName name, CodeBlock what, MethodSplitting.Result split,
      Function<Var, TypeName> typeOf) {
    int count = split.parts().size();
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: the fields are the variables the parts share, named like them.\n",
            what);
    for (MethodSplitting.Field field : split.fields()) {
      type.addField(field.type(), field.name());
    }
    for (int k = 0; k < count; k++) {
      MethodSplitting.Part part = split.parts().get(k);
      MethodSpec.Builder m = MethodSpec.methodBuilder(part.name())
          .addJavadoc("Part $L of $L (at most $L bytes of bytecode, by a conservative "
              + "estimate).\n", k + 1, count, part.estimatedSize());
      for (Var p : part.params()) {
        m.addParameter(typeOf.apply(p), p.name());
      }
      CodeBlock.Builder code = CodeBlock.builder();
      StmtPrinter.print(part.body(), code);
      type.addMethod(m.addCode(code.build()).build());
    }
    return type.build();
  }
}
