package dev.adjoint.processor.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.RecordShape;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The signature of a gradient method as the user wrote the function: the IR's parameters are
 * the leaves of record parameters (see {@code frontend.RecordFlattening}), and here each run of
 * one record's leaves is one parameter of the record type again. The generated method takes the
 * record, reads its leaves into locals, and builds records of partials for its result.
 */
final class RecordSignature {
  private RecordSignature() {}

  /**
   * One parameter of the generated method: a plain IR parameter, or a record parameter (or the
   * receiver {@code self}) with its leaves in order.
   *
   * @param name the parameter's name, which is also its component in the result record
   * @param plain the IR parameter, for a primitive or array parameter; else null
   * @param shape the record's shape, for a record parameter; else null
   * @param leaves the IR parameters of the record's leaves, in {@link RecordShape#leaves()} order
   */
  record Group(String name, Function.Param plain, RecordShape shape,
      List<Function.Param> leaves) {

    /** True when the result record has a component (of partials) for this parameter. */
    boolean differentiable() {
      return plain != null ? plain.differentiable()
          : leaves.stream().anyMatch(Function.Param::differentiable);
    }

    boolean isRecord() {
      return shape != null;
    }

    /** True when the accumulator must replace its record to add a scalar partial. */
    boolean hasScalarPartials() {
      return isRecord() && leaves.stream().anyMatch(p -> p.differentiable()
          && p.var().type().dims() == 0);
    }

    TypeName type() {
      return shape != null ? recordType(shape) : StmtPrinter.typeName(plain.var().type());
    }

    /** The Java type name for Javadoc links: {@code float[]}, {@code pkg.Params}. */
    String javaName() {
      return shape != null ? shape.qualifiedName() : plain.var().type().javaName();
    }

    /** The component and parameter name: the name the user wrote. */
    String component() {
      return shape != null ? name : plain.var().sourceName();
    }

    /** True for the receiver of an instance method. */
    boolean receiver() {
      return shape != null && leaves.get(0).leaf().receiver();
    }
  }

  /** The parameters of {@code f} as the user wrote them. */
  static List<Group> groups(Function f) {
    List<Group> out = new ArrayList<>();
    List<Function.Param> params = f.params();
    int i = 0;
    while (i < params.size()) {
      Function.Param p = params.get(i);
      if (p.leaf() == null) {
        out.add(new Group(p.var().name(), p, null, List.of(p)));
        i++;
        continue;
      }
      int n = p.leaf().shape().leaves().size();
      out.add(new Group(p.leaf().root(), null, p.leaf().shape(),
          List.copyOf(params.subList(i, i + n))));
      i += n;
    }
    return out;
  }

  static ClassName recordType(RecordShape shape) {
    return ExprPrinter.className(shape.packageName(), shape.className());
  }

  /** Declares each leaf of record parameter {@code g} as a local read from the record. */
  static void unpack(MethodSpec.Builder m, Group g) {
    unpack(m, g, v -> true);
  }

  /**
   * Declares the leaves of record parameter {@code g} as locals read from the record: those
   * with derivative and those {@code read} accepts (the code reads them).
   */
  static void unpack(MethodSpec.Builder m, Group g,
      java.util.function.Predicate<dev.adjoint.processor.ir.Var> read) {
    if (!g.isRecord()) {
      return;
    }
    List<RecordShape.Leaf> leaves = g.shape().leaves();
    for (int i = 0; i < leaves.size(); i++) {
      if (!g.leaves().get(i).differentiable() && !read.test(g.leaves().get(i).var())) {
        continue;
      }
      m.addStatement("$T $N = $L", StmtPrinter.typeName(g.leaves().get(i).var().type()),
          g.leaves().get(i).var().name(), accessors(CodeBlock.of("$N", g.name()),
              leaves.get(i).path()));
    }
  }

  /** {@code record.a().b()} along {@code path}. */
  static CodeBlock accessors(CodeBlock record, List<String> path) {
    CodeBlock.Builder b = CodeBlock.builder().add("$L", record);
    for (String c : path) {
      b.add(".$N()", c);
    }
    return b.build();
  }

  /**
   * {@code new Shape(...)} whose leaves are {@code leaf.apply(path, type)} for each leaf of
   * {@code shape}, in order.
   */
  static CodeBlock rebuild(RecordShape shape, BiFunction<List<String>, Type, CodeBlock> leaf) {
    return rebuild(shape, List.of(), leaf);
  }

  private static CodeBlock rebuild(RecordShape shape, List<String> prefix,
      BiFunction<List<String>, Type, CodeBlock> leaf) {
    List<CodeBlock> parts = new ArrayList<>();
    for (RecordShape.Component c : shape.components()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(c.name());
      parts.add(c.nested() != null ? rebuild(c.nested(), path, leaf)
          : leaf.apply(List.copyOf(path), c.type()));
    }
    return CodeBlock.of("new $T($L)", recordType(shape), CodeBlock.join(parts, ", "));
  }

  /** The IR parameter of the leaf of {@code g} at {@code path}. */
  static Function.Param leafAt(Group g, List<String> path) {
    for (Function.Param p : g.leaves()) {
      if (p.leaf().path().equals(path)) {
        return p;
      }
    }
    throw new IllegalStateException("no leaf " + path + " in " + g.name());
  }

}
