package dev.adjoint.processor.backend;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;

import dev.adjoint.processor.forward.ForwardMode;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.RecordResult;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.naming.NameAllocator;
import dev.adjoint.processor.reverse.ReverseMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/** The back end: assembles the generated {@code FooGrad} class from transformed methods. */
public final class GradClassWriter {
  private final String packageName;
  private final String simpleName;
  private final TypeElement original;
  private final boolean generatedAnnotationAvailable;
  private final List<TypeSpec> records = new ArrayList<>();
  private final List<MethodSpec> methods = new ArrayList<>();
  private final List<TypeSpec> accumulators = new ArrayList<>();
  /** The classes holding the parts of split methods (see {@link MethodSplitting}). */
  private final List<TypeSpec> partsClasses = new ArrayList<>();
  /** The values of the directional derivatives, in the nested class {@link #directionalClass}. */
  private final List<MethodSpec> directionalValues = new ArrayList<>();
  private String directionalClass;
  /** Names of nested types: records and accumulators, reserved up front, and parts. */
  private final NameAllocator typeNames = new NameAllocator();
  private MethodSplitting.Limits limits = MethodSplitting.Limits.JVM;
  /** {@code @WritesInPlace} of the records whose methods write parameters, by record name. */
  private final Map<String, AnnotationSpec> writesInPlace = new HashMap<>();

  public GradClassWriter(String packageName, String simpleName, TypeElement original,
      boolean generatedAnnotationAvailable) {
    this.packageName = packageName;
    this.simpleName = simpleName;
    this.original = original;
    this.generatedAnnotationAvailable = generatedAnnotationAvailable;
    typeNames.reserve(simpleName);
  }

  /**
   * Splits gradient methods whose code is estimated above {@code bytes} (instead of only those
   * too large for the JVM), into parts of that size: for tests.
   */
  public void splitAbove(int bytes) {
    limits = new MethodSplitting.Limits(bytes,
        Math.min(bytes, MethodSplitting.Limits.JVM.part()));
  }

  /**
   * Reserves the names of the types a method's gradient is part of the contract for (its record
   * and accumulator), which the types the writer adds for its own needs must not take. Called
   * for every method of the class before any is {@linkplain #add added}.
   */
  public void reserve(String recordName, String accName) {
    typeNames.reserve(recordName);
    typeNames.reserve(accName);
  }

  /**
   * Marks record {@code recordName} {@code @WritesInPlace}: its method writes the elements of
   * the parameters at {@code written} (positions from 0), and, when void, returns its result in
   * the one at {@code out} (else -1). A caller compiled against the compiled class reads it (see
   * {@code CalleeResolver}). Called before the method is {@linkplain #add added}; nothing for a
   * method that writes no parameter.
   */
  public void writesInPlace(String recordName, List<Integer> written, int out) {
    if (written.isEmpty()) {
      return;
    }
    AnnotationSpec.Builder a = AnnotationSpec.builder(ClassName.get("dev.adjoint",
        "WritesInPlace"));
    written.forEach(i -> a.addMember("value", "$L", i));
    if (out >= 0) {
      a.addMember("out", "$L", out);
    }
    writesInPlace.put(recordName, a.build());
  }

  /**
   * Adds the gradient method(s) of {@code f} and the types they return: record
   * {@code recordName}, when it has array parameters or result accumulator class
   * {@code accName}, and for a gradient too large for one JVM method, the class holding its
   * parts.
   *
   * @throws GradientTooLarge when the gradient cannot be made to fit the JVM's limits
   */
  public void add(Function f, String recordName, String accName, ReverseMode.Result result) {
    add(f, recordName, accName, result, null, null);
  }

  /**
   * As {@link #add(Function, String, String, ReverseMode.Result)} for a function returning a
   * record ({@code returned}, see {@code frontend.RecordResults}): the IR returns the
   * seed-weighted sum of the result's leaves, the generated methods return the record.
   */
  public void add(Function f, String recordName, String accName, ReverseMode.Result result,
      RecordResult returned) {
    add(f, recordName, accName, result, null, returned);
  }

  /**
   * Adds the Hessian-vector product of {@code original}: {@code g} is the directional derivative
   * of {@code original} along the direction parameters (forward mode), {@code result} its
   * gradient, which is the Hessian-vector product; the record's {@code value} is
   * {@code original}'s value, from a call of it.
   */
  public void addHvp(Function original, Function g, String recordName, String accName,
      ReverseMode.Result result, List<Integer> written) {
    hvpWritten = written;
    try {
      add(g, recordName, accName, result, original, null);
    } finally {
      hvpWritten = List.of();
    }
  }

  /**
   * The positions of the parameters the function of the Hessian-vector product being added
   * writes in place (also through the {@code void} helpers it calls), whose value call gets
   * copies.
   */
  private List<Integer> hvpWritten = List.of();

  /**
   * Adds the gradient of the directional derivative {@code d} whose value
   * {@link #addDirectionalValue} added: as {@link #add}, documented as of that value's method.
   */
  public void addDirectionalGradient(Function d, String recordName, String accName,
      ReverseMode.Result result) {
    directionalGradient = true;
    try {
      add(d, recordName, accName, result, null, null);
    } finally {
      directionalGradient = false;
    }
  }

  private boolean directionalGradient;

  /** A copy of array parameter {@code v} that the function may write: rows copied too. */
  private static String copyOf(Var v) {
    if (v.type().dims() < 2) {
      return v.name() + ".clone()";
    }
    String elem = v.type().javaName().replace("[][]", "[]");
    return "java.util.Arrays.stream(" + v.name() + ").map(" + elem + "::clone).toArray("
        + v.type().javaName() + "::new)";
  }

  private void add(Function f, String recordName, String accName,
      ReverseMode.Result transformed, Function hvpOf, RecordResult lowered) {
    ReverseMode.Result result = transformed;
    RecordResult returned = lowered;
    if (lowered != null) {
      RecordSnapshots.Result snapshots = RecordSnapshots.apply(transformed.body(),
          transformed.value(), lowered);
      returned = snapshots.returned();
      result = new ReverseMode.Result(snapshots.body(), transformed.value(),
          transformed.params(), transformed.seed(), transformed.gradient(), transformed.tape(),
          transformed.scratch(), transformed.interchanged());
    }
    write(f, recordName, accName, result, hvpOf, returned);
  }

  private void write(Function f, String recordName, String accName, ReverseMode.Result result,
      Function hvpOf, RecordResult returned) {
    Split split = split(f, recordName, result, returned);
    ClassName recordType = ClassName.get(packageName, simpleName, recordName);
    Function linked = hvpOf != null ? hvpOf : f;
    List<RecordSignature.Group> groups = RecordSignature.groups(f);
    String signature = linked.name() + "(" + RecordSignature.groups(linked).stream()
        .filter(g -> !g.receiver() && !(returned != null && g.isRecord()
            && g.name().equals("seed")))
        .map(RecordSignature.Group::javaName).collect(Collectors.joining(", ")) + ")";
    String link = "{@link " + (directionalGradient
        ? ClassName.get(packageName, simpleName, directionalClass).canonicalName()
        : ClassName.get(original).canonicalName()) + "#" + signature + "}";
    // the value of the Hessian-vector product's record: a call of the function itself
    // (on copies of the arrays it writes in place, which the caller's must not see)
    Set<Var> written = hvpOf == null ? Set.of() : writtenInPlace(hvpOf);
    if (hvpOf != null && !hvpWritten.isEmpty()) {
      written = new java.util.HashSet<>(written);
      List<RecordSignature.Group> own = RecordSignature.groups(hvpOf).stream()
          .filter(g -> !g.receiver()).toList();
      for (int k : hvpWritten) {
        if (k < own.size() && !own.get(k).isRecord()) {
          written.add(own.get(k).plain().var());
        }
      }
    }
    CodeBlock hvpValue = hvpOf == null ? null : valueCall(hvpOf, written);
    List<RecordSignature.Group> diff = groups.stream()
        .filter(RecordSignature.Group::differentiable).toList();
    TypeName valueType = returned != null ? RecordSignature.recordType(returned.shape())
        : StmtPrinter.typeName(f.returnType());
    // A record result's gradient is seed-weighted, as an array result's is. A scalar function
    // with a seed (scalarSeed) has the seed in its accumulating form only, which its callers
    // that stay calls chain through: its record form and its plain accumulating form seed 1.
    boolean scalarSeed = result.seed() != null && result.seed().type().dims() == 0;
    boolean seeded = result.seed() != null && !scalarSeed || returned != null;

    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    ctor.addParameter(valueType, "value");
    CodeBlock.Builder recordDoc = CodeBlock.builder()
        .add("The value of $L and its $L.\n\n", link, hvpOf != null
            ? "Hessian-vector product" : !seeded ? "partial derivatives"
            : "vector-Jacobian products")
        .add("@param value the value of {@code $L}\n", linked.name());
    for (RecordSignature.Group p : diff) {
      ctor.addParameter(p.type(), p.component());
      recordDoc.add("@param $L the $L of {@code $L} with respect to {@code $L}$L\n",
          p.component(), hvpOf != null ? "Hessian-vector product: the directional derivative "
              + "along the directions of the partial derivative" : !seeded
              ? "partial derivative" : "seed-weighted gradient",
          linked.name(), p.component(), p.isRecord() ? ": each double or float component "
              + "holds the partials with respect to that component, the others are the "
              + "argument's" : "");
    }
    TypeSpec.Builder record = TypeSpec.recordBuilder(recordName)
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(ctor.build())
        .addJavadoc(recordDoc.build());
    if (hvpOf == null && writesInPlace.containsKey(recordName)) {
      record.addAnnotation(writesInPlace.get(recordName));
    }
    records.add(record.build());

    String names = diff.stream().map(RecordSignature.Group::component)
        .collect(Collectors.joining(", "));
    CodeBlock body = split.body();
    MethodSplitting.Result moved = split.moved();
    if (result.gradient() == null) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(f.name())
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(recordType)
          .addJavadoc(hvpOf != null ? "Computes $L and its Hessian-vector product: the "
              + "gradient (reverse mode) of its\ndirectional derivative along the directions "
              + "(forward mode).\n" : "Computes $L and its gradient by reverse-mode "
              + "differentiation.\n", link)
          .addJavadoc(origin(f, result));
      addParams(m, f, result, false);
      m.addJavadoc("\n@return the value of {@code $L}$L\n", f.name(),
          diff.isEmpty() ? "" : " and its partial derivatives with respect to " + names);
      CodeBlock components = result.params().stream()
          .filter(p -> p.param().differentiable())
          .map(p -> p.adjoint() != null ? CodeBlock.of("$N", moved.nameOf(p.adjoint()))
              : CodeBlock.of("$L", zero(p.param().var().type())))
          .collect(CodeBlock.joining(", "));
      CodeBlock valueOut = CodeBlock.of("$N", moved.nameOf(result.value()));
      if (hvpValue != null) {
        // the function's value, before the body reassigns the parameters it reassigns
        String name = unusedName(hvpOf.name() + "Value", body + " " + f.params().stream()
            .map(p -> p.var().name()).collect(Collectors.joining(" ")));
        m.addStatement("$T $N = $L", valueType, name, hvpValue);
        valueOut = CodeBlock.of("$N", name);
      }
      openScratch(m, result);
      m.addCode(body);
      m.addStatement("return new $T($L$L)", recordType, valueOut,
          diff.isEmpty() ? CodeBlock.of("") : CodeBlock.of(", $L", components));
      closeScratch(m, result);
      methods.add(m.build());
      return;
    }

    // Array parameters: an accumulator of caller-owned buffers, the accumulating form that
    // allocates nothing, and the record form built on it.
    ClassName accType = ClassName.get(packageName, simpleName, accName);
    accumulators.add(accumulator(accName, accType, diff, link));

    MethodSpec.Builder acc = MethodSpec.methodBuilder(f.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(valueType)
        .addJavadoc("Computes $L and adds its $L into {@code $N}.\n", link,
            hvpOf != null ? "Hessian-vector product (returning the directional derivative "
            + "along the directions, not the value)" : !seeded && !scalarSeed ? "gradient"
            : "seed-weighted gradient", result.gradient().name())
        .addJavadoc("\n<p>The accumulating form: beyond the arrays the function itself creates, it "
            + "allocates\nnothing once warmed up (the adjoints of those arrays are reused per thread), "
            + "so call it in\ntraining loops with one {@link $T} reused across steps (clear it "
            + "between steps).\n",
            accType)
        .addJavadoc(origin(f, result));
    addParams(acc, f, result, true);
    acc.addParameter(accType, result.gradient().name());
    // (a split body reads its locals through its parts: every leaf is unpacked then)
    String bodyText = body.toString();
    groups.forEach(g -> RecordSignature.unpack(acc, g,
        v -> moved.object() != null || mentions(bodyText, v.name())));
    acc.addJavadoc("\n@param $N receives the derivatives; they are added to what it holds",
        result.gradient().name());
    acc.addJavadoc("\n@return the value of {@code $L}\n", f.name());
    openScratch(acc, result);
    acc.addCode(body);
    for (ReverseMode.ParamAdjoint p : result.params()) {
      if (p.adjoint() != null && p.param().var().type().dims() == 0
          && p.param().leaf() == null) {
        acc.addStatement("$N.$N += $N", result.gradient().name(), component(p.param()),
            moved.nameOf(p.adjoint()));
      }
    }
    for (RecordSignature.Group g : diff) {
      addScalarPartials(acc, g, result, moved);
    }
    if (returned != null) {
      acc.addStatement("return $L", RecordSignature.rebuild(returned.shape(), (path, t) -> {
        int k = returned.shape().leaves().stream().map(l -> l.path()).toList().indexOf(path);
        return CodeBlock.of("$N", moved.nameOf(returned.leaves().get(k)));
      }));
    } else {
      acc.addStatement("return $N", moved.nameOf(result.value()));
    }
    closeScratch(acc, result);

    MethodSpec.Builder rec = MethodSpec.methodBuilder(f.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(recordType)
        .addJavadoc("Computes $L and its $L.\n", link, hvpOf != null
            ? "Hessian-vector product (forward mode along the directions, then reverse mode)"
            : !seeded ? "gradient by reverse-mode differentiation"
            : "vector-Jacobian product by reverse-mode differentiation")
        .addJavadoc("\n<p>Allocates the result arrays; in training loops prefer\n"
            + "{@link #$L($L)}.\n", f.name(), accumulatingSignature(f, result, accName));
    addParams(rec, f, result, !scalarSeed);
    rec.addJavadoc("\n@return the value of {@code $L}$L\n", f.name(),
        diff.isEmpty() ? "" : " and its derivatives with respect to " + names);
    String arrays = diff.stream().filter(p -> p.isRecord() || p.plain().var().type().dims() > 0)
        .map(RecordSignature.Group::name).collect(Collectors.joining(", "));
    rec.addStatement("$T $N = $T.zerosLike($L)", accType, result.gradient().name(), accType,
        arrays);
    String args = groups.stream().map(RecordSignature.Group::name)
        .collect(Collectors.joining(", "))
        + (result.seed() != null && !scalarSeed ? ", " + result.seed().name() : "");
    if (hvpValue != null) {
      rec.addStatement("$N($L, $N)", f.name(), args, result.gradient().name());
      rec.addStatement("$T $N = $L", valueType, result.value().name(), hvpValue);
    } else {
      rec.addStatement("$T $N = $N($L, $N)", valueType, result.value().name(), f.name(), args,
          result.gradient().name());
    }
    CodeBlock components = diff.stream()
        .map(p -> CodeBlock.of("$N.$N", result.gradient().name(), p.component()))
        .collect(CodeBlock.joining(", "));
    rec.addStatement("return new $T($N$L)", recordType, result.value().name(),
        diff.isEmpty() ? CodeBlock.of("") : CodeBlock.of(", $L", components));
    methods.add(rec.build());
    if (scalarSeed) {
      MethodSpec.Builder plain = MethodSpec.methodBuilder(f.name())
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(valueType)
          .addJavadoc("Computes $L and adds its gradient into {@code $N}: the accumulating form "
              + "below with seed 1.\n", link, result.gradient().name())
          .addJavadoc("\n<p>Allocates nothing once warmed up beyond the arrays the function "
              + "itself creates; call it in\ntraining loops with one {@link $T} reused across "
              + "steps (clear it between steps).\n", accType);
      addParams(plain, f, result, false);
      plain.addParameter(accType, result.gradient().name());
      plain.addJavadoc("\n@param $N receives the derivatives; they are added to what it holds",
          result.gradient().name());
      plain.addJavadoc("\n@return the value of {@code $L}\n", f.name());
      plain.addStatement("return $N($L, $L, $N)", f.name(), args,
          result.seed().type().equals(Type.FLOAT) ? "1.0f" : "1.0", result.gradient().name());
      methods.add(plain.build());
    }
    methods.add(acc.build());
  }

  /**
   * A call of {@code f} itself with the generated method's parameters (copies of the arrays in
   * {@code written}): {@code Owner.f(p, x)}, or {@code self.f(x)} for an instance method.
   */
  private CodeBlock valueCall(Function f, Set<Var> written) {
    List<String> args = new ArrayList<>();
    String receiver = null;
    for (RecordSignature.Group g : RecordSignature.groups(f)) {
      if (g.receiver()) {
        receiver = g.name();
      } else if (g.isRecord()) {
        args.add(g.name());
      } else {
        args.add(written.contains(g.plain().var()) ? copyOf(g.plain().var())
            : g.plain().var().name());
      }
    }
    return receiver != null
        ? CodeBlock.of("$N.$N($L)", receiver, f.name(), String.join(", ", args))
        : CodeBlock.of("$T.$N($L)", ClassName.get(original), f.name(), String.join(", ", args));
  }

  /** {@code preferred}, or it with a number appended, that is no identifier in {@code code}. */
  private static String unusedName(String preferred, String code) {
    String name = preferred;
    for (int k = 2; java.util.regex.Pattern.compile("\\b" + name + "\\b").matcher(code).find();
        k++) {
      name = preferred + k;
    }
    return name;
  }

  /**
   * The parameter arrays {@code f} writes in place: those the lowering copies on entry
   * ({@code double[] xCopy = new double[x.length];} first in the body; a local array allocated
   * alike is counted too, which only costs a copy).
   */
  private static Set<Var> writtenInPlace(Function f) {
    Set<Var> out = new java.util.HashSet<>();
    for (dev.adjoint.processor.ir.Stmt s : f.body()) {
      if (s instanceof dev.adjoint.processor.ir.Stmt.Declare d
          && d.init() instanceof dev.adjoint.processor.ir.Expr.NewArray n
          && n.elements() == null && !n.dims().isEmpty()
          && n.dims().get(0) instanceof dev.adjoint.processor.ir.Expr.Length l
          && l.array() instanceof dev.adjoint.processor.ir.Expr.Read r
          && r.var().kind() == Var.Kind.PARAMETER
          && r.var().type().dims() == n.dims().size()) {
        // The copy made on entry of a parameter written in place (1-D, or 2-D rectangular).
        out.add(r.var());
      }
    }
    return out;
  }

  /**
   * Adds the forward-mode form of {@code f}: method {@code methodName} taking {@code f}'s
   * parameters then the tangents, whose body {@code forward} returns record {@code recordName}
   * (value and tangent).
   */
  public void addJvp(Function f, String methodName, String recordName,
      ForwardMode.Result forward, RecordResult returned) {
    // the function as the user wrote it: without the seed of a record result
    List<Function.Param> own = returned == null ? f.params()
        : f.params().subList(0, f.params().size() - returned.shape().leaves().size());
    Function user = new Function(f.name(), own, f.returnType(), f.body(), f.source());
    String signature = f.name() + "(" + RecordSignature.groups(user).stream()
        .filter(g -> !g.receiver()).map(RecordSignature.Group::javaName)
        .collect(Collectors.joining(", ")) + ")";
    String link = "{@link " + ClassName.get(original).canonicalName() + "#" + signature + "}";
    TypeName valueType = returned != null ? RecordSignature.recordType(returned.shape())
        : StmtPrinter.typeName(f.returnType());
    ClassName recordType = ClassName.get(packageName, simpleName, recordName);
    records.add(TypeSpec.recordBuilder(recordName)
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(MethodSpec.constructorBuilder()
            .addParameter(valueType, "value").addParameter(valueType, "tangent").build())
        .addJavadoc("The value of $L and its Jacobian-vector product.\n\n", link)
        .addJavadoc("@param value the value of {@code $L}\n", f.name())
        .addJavadoc("@param tangent the directional derivative of {@code $L} along the "
            + "tangents of its parameters$L\n", f.name(), returned == null ? ""
                : " (components without derivative hold the value's)")
        .build());
    MethodSpec.Builder m = MethodSpec.methodBuilder(methodName)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(recordType)
        .addJavadoc("Computes $L and its Jacobian-vector product by forward-mode "
            + "differentiation.\n", link)
        .addJavadoc("\n<p>Generated by Adjoint from line $L of {@code $L}: the original code, "
            + "each statement that\nchanges a value preceded by the update of its tangent "
            + "{@code tV}, the derivative of\n{@code v} along the tangents of the "
            + "parameters.\n", f.source().line(), original.getSimpleName());
    List<Function.Param> all = new ArrayList<>(own);
    all.addAll(forward.tangents());
    Function whole = new Function(f.name(), all, f.returnType(), f.body(), f.source());
    List<RecordSignature.Group> groups = RecordSignature.groups(whole);
    int plain = RecordSignature.groups(user).size();
    CodeBlock.Builder body = CodeBlock.builder();
    StmtPrinter.print(forward.body(), body);
    CodeBlock printed = body.build();
    String text = printed.toString();
    for (int k = 0; k < groups.size(); k++) {
      RecordSignature.Group g = groups.get(k);
      m.addParameter(g.type(), g.name());
      if (g.receiver()) {
        m.addJavadoc("\n@param $L the record whose method {@code $L} is", g.name(), f.name());
      } else if (k < plain) {
        m.addJavadoc("\n@param $L as in {@code $L}", g.name(), f.name());
      } else {
        m.addJavadoc("\n@param $L the tangent (direction) of {@code $L}$L", g.name(),
            groups.get(tangentOf(groups, plain, k)).name(), g.isRecord()
                ? ", a record of its type (components without derivative are not read)" : "");
      }
    }
    m.addJavadoc("\n@return the value of {@code $L} and its directional derivative\n",
        f.name());
    for (RecordSignature.Group g : groups) {
      RecordSignature.unpack(m, g, v -> mentions(text, v.name()));
    }
    m.addCode(forwardBody(methodName, recordName, whole, forward.body(), groups));
    methods.add(m.build());
  }

  /**
   * The body of forward-mode method {@code method} ({@code f}'s parameters, {@code body}'s
   * statements): as it is, or, when too large for the JIT to compile it, split into the methods
   * of a parts class as gradients are (see {@link MethodSplitting}).
   */
  private CodeBlock forwardBody(String method, String recordName, Function f, List<
      dev.adjoint.processor.ir.Stmt> body, List<RecordSignature.Group> groups) {
    List<Var> params = new ArrayList<>();
    f.params().forEach(p -> params.add(p.var()));
    MethodSplitting.Result split = MethodSplitting.split(body, params, new LinkedHashSet<>(),
        limits);
    CodeBlock.Builder out = CodeBlock.builder();
    if (split.object() == null) {
      RecordArguments.withParameters(groups, () -> StmtPrinter.print(body, out));
      return out.build();
    }
    ClassName partsType = ClassName.get(packageName, simpleName,
        typeNames.allocate(recordName + "Parts"));
    partsClasses.add(PartsClass.ofForward(partsType, method, split,
        v -> StmtPrinter.typeName(v.type())));
    out.add("// Split into the methods of $T, whose fields are the variables they share: by a "
        + "conservative\n// estimate this code takes up to $L KB of bytecode, and HotSpot "
        + "compiles methods of at most 8 KB\n", partsType, (split.estimatedSize() + 1023) / 1024);
    out.addStatement("$T $N = new $T()", partsType, split.object().name(), partsType);
    StmtPrinter.print(split.body(), out);
    return out.build();
  }

  /** The position of the parameter whose tangent is group {@code k} (after {@code plain}). */
  private static int tangentOf(List<RecordSignature.Group> groups, int plain, int k) {
    int seen = plain;
    for (int i = 0; i < plain; i++) {
      if (groups.get(i).differentiable() && seen++ == k) {
        return i;
      }
    }
    return k;
  }

  /** True when {@code name} is an identifier in {@code code}. */
  private static boolean mentions(String code, String name) {
    return java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(name) + "\\b")
        .matcher(code).find();
  }

  /**
   * Adds the value of the directional derivative {@code d} (forward mode of a function along
   * tangent parameters that are differentiable themselves) as a static method of the nested
   * class {@code className}: the forward sweep of the generated code of a Hessian-vector product
   * calling that function evaluates it there, and reverse mode chains through its gradient,
   * {@link #add added} beside it under the same name.
   */
  public void addDirectionalValue(Function d, String className, Function of) {
    directionalClass = className;
    typeNames.reserve(className);
    String signature = of.name() + "(" + RecordSignature.groups(of).stream()
        .filter(g -> !g.receiver()).map(RecordSignature.Group::javaName)
        .collect(Collectors.joining(", ")) + ")";
    MethodSpec.Builder m = MethodSpec.methodBuilder(d.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(StmtPrinter.typeName(d.returnType()))
        .addJavadoc("The directional derivative of {@link $T#$L} along the tangents: forward "
            + "mode.\n", ClassName.get(original), signature);
    List<RecordSignature.Group> groups = RecordSignature.groups(d);
    for (RecordSignature.Group g : groups) {
      m.addParameter(g.type(), g.name());
    }
    CodeBlock.Builder plain = CodeBlock.builder();
    StmtPrinter.print(d.body(), plain);
    String text = plain.build().toString();
    for (RecordSignature.Group g : groups) {
      RecordSignature.unpack(m, g, v -> mentions(text, v.name()));
    }
    m.addCode(forwardBody(d.name(), GradNames.capitalize(d.name()) + "Value", d, d.body(),
        groups));
    directionalValues.add(m.build());
  }

  /**
   * Opens the frame of the thread's scratch arena around the body when it takes adjoints from it;
   * try-with-resources gives them back however the method exits.
   */
  private static void openScratch(MethodSpec.Builder m, ReverseMode.Result result) {
    if (result.scratch() != null) {
      ClassName scratch = ClassName.get("dev.adjoint", "Scratch");
      m.addComment(result.interchanged()
          ? "The adjoints of local arrays and the partial sums of interchanged loops are buffers"
              + " of this thread's scratch arena, reused call after call"
          : "The adjoints of local arrays are buffers of this thread's scratch arena, "
              + "reused call after call");
      m.beginControlFlow("try ($T $N = $T.open())", scratch, result.scratch().name(), scratch);
    }
  }

  private static void closeScratch(MethodSpec.Builder m, ReverseMode.Result result) {
    if (result.scratch() != null) {
      m.endControlFlow();
    }
  }

  private static String accumulatingSignature(Function f, ReverseMode.Result result,
      String accName) {
    List<String> types = new ArrayList<>();
    RecordSignature.groups(f).forEach(g -> types.add(g.javaName()));
    if (result.seed() != null && result.seed().type().dims() > 0) {
      types.add(result.seed().type().javaName());
    }
    types.add(accName);
    return String.join(", ", types);
  }

  private CodeBlock origin(Function f, ReverseMode.Result result) {
    return CodeBlock.of("\n<p>Generated by Adjoint from line $L of {@code $L}: the forward sweep "
        + "is the original code$L; the reverse\nsweep applies the chain rule to each statement, "
        + "last to first.\n", f.source().line(), original.getSimpleName(),
        result.interchanged() ? " (with the loops its comments name interchanged, which "
            + "computes the same values)" : "");
  }

  private static void addParams(MethodSpec.Builder m, Function f, ReverseMode.Result result,
      boolean withSeed) {
    for (RecordSignature.Group g : RecordSignature.groups(f)) {
      m.addParameter(ParameterSpec.builder(g.type(), g.name()).build());
      if (g.receiver()) {
        m.addJavadoc("\n@param $L the record whose method {@code $L} is", g.name(), f.name());
      } else {
        m.addJavadoc("\n@param $L as in {@code $L}", g.name(), f.name());
      }
    }
    if (withSeed && result.seed() != null) {
      m.addParameter(StmtPrinter.typeName(result.seed().type()), result.seed().name());
      if (result.seed().type().dims() == 0) {
        m.addJavadoc("\n@param $L the weight of the value (the adjoint of the result): the "
            + "gradient is added times it", result.seed().name());
      } else {
        m.addJavadoc("\n@param $L the weights of the result's elements (the adjoint of the "
            + "result)", result.seed().name());
      }
    }
  }

  /** A gradient method's body, and the parts it was split into (none when it fits). */
  private record Split(CodeBlock body, MethodSplitting.Result moved) {}

  /**
   * The body of {@code f}'s gradient method; when too large for one JVM method, also adds the
   * class holding its parts.
   */
  private Split split(Function f, String recordName, ReverseMode.Result result,
      RecordResult returned) {
    List<Var> params = new ArrayList<>();
    f.params().forEach(p -> params.add(p.var()));
    if (result.gradient() != null) {
      if (result.seed() != null) {
        params.add(result.seed());
      }
      params.add(result.gradient());
    }
    if (result.scratch() != null) {
      params.add(result.scratch()); // declared by the method around the body
    }
    Set<Var> readAfter = new LinkedHashSet<>();
    readAfter.add(result.value());
    if (returned != null) {
      readAfter.addAll(returned.leaves());
    }
    result.params().stream().map(ReverseMode.ParamAdjoint::adjoint).filter(Objects::nonNull)
        .forEach(readAfter::add);
    MethodSplitting.Result split = MethodSplitting.split(result.body(), params, readAfter,
        limits);
    CodeBlock.Builder body = CodeBlock.builder();
    if (split.object() == null) {
      // Unsplit, the body sees the record parameters: calls pass them as they are.
      RecordArguments.withParameters(RecordSignature.groups(f), () ->
          StmtPrinter.print(split.body(), body));
      return new Split(body.build(), split);
    }
    ClassName partsType = ClassName.get(packageName, simpleName,
        typeNames.allocate(recordName + "Parts"));
    ClassName accType = ClassName.get(packageName, simpleName, recordName + "Accumulator");
    partsClasses.add(PartsClass.of(partsType, f.name(), split,
        v -> v == result.gradient() ? accType : StmtPrinter.typeName(v.type())));
    body.add("// Split into the methods of $T, whose fields are the variables they share: by a "
        + "conservative\n// estimate this code takes up to $L KB of bytecode, and a JVM method "
        + "at most 64 KB\n", partsType, (split.estimatedSize() + 1023) / 1024);
    body.addStatement("$T $N = new $T()", partsType, split.object().name(), partsType);
    StmtPrinter.print(split.body(), body);
    return new Split(body.build(), split);
  }

  private static String zero(Type t) {
    return t.equals(Type.FLOAT) ? "0.0f" : "0.0";
  }

  private static TypeSpec accumulator(String name, ClassName type,
      List<RecordSignature.Group> diff, String link) {
    TypeSpec.Builder b = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Caller-owned buffers into which the accumulating form of $L adds its "
            + "derivatives,\none field per differentiable parameter, named like it.\n", link);
    if (diff.stream().anyMatch(RecordSignature.Group::isRecord)) {
      b.addJavadoc("\n<p>A record parameter's field is a record of the same type whose arrays "
          + "are the buffers (its\nother components are copied from the argument "
          + "{@link #zerosLike} was given); where the record\nhas double or float scalar "
          + "components, each call replaces the field by a record with the new sums.\n");
    }
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("Accumulates into the given arrays, which must have the shapes of the "
            + "corresponding arguments.\n");
    MethodSpec.Builder zeros = MethodSpec.methodBuilder("zerosLike")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(type)
        .addJavadoc("Zero buffers shaped like the given arguments.\n");
    MethodSpec.Builder clear = MethodSpec.methodBuilder("clear")
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Sets every accumulated derivative back to zero.\n");
    List<CodeBlock> arrays = new ArrayList<>();
    ClassName adjoints = ClassName.get("dev.adjoint", "Adjoints");
    for (RecordSignature.Group g : diff) {
      TypeName t = g.type();
      String n = g.component();
      if (g.isRecord()) {
        FieldSpec.Builder field = FieldSpec.builder(t, n, Modifier.PUBLIC);
        if (!g.hasScalarPartials()) {
          field.addModifiers(Modifier.FINAL);
        }
        b.addField(field.addJavadoc("Derivatives with respect to {@code $L}, a record of its "
            + "type.\n", n).build());
        ctor.addParameter(t, n).addStatement("this.$N = $N", n, n);
        ctor.addJavadoc("\n@param $L buffers for the derivatives with respect to {@code $L}, "
            + "a record of its type", n, n);
        zeros.addParameter(t, n);
        zeros.addJavadoc("\n@param $L an argument of the shape to copy", n);
        arrays.add(CodeBlock.of("$L", RecordSignature.rebuild(g.shape(), (path, type1) -> {
          CodeBlock read = RecordSignature.accessors(CodeBlock.of("$N", n), path);
          if (!RecordSignature.leafAt(g, path).differentiable()) {
            return read;
          }
          return type1.dims() > 0 ? CodeBlock.of("$T.zerosLike($L)", adjoints, read)
              : CodeBlock.of("$L", zero(type1));
        }).toString()));
        for (Function.Param leaf : g.leaves()) {
          Type lt = leaf.var().type();
          if (!leaf.differentiable() || lt.dims() == 0) {
            continue;
          }
          CodeBlock read = RecordSignature.accessors(CodeBlock.of("$N", n), leaf.leaf().path());
          if (lt.dims() == 1) {
            clear.addStatement("$T.fill($L, 0)", java.util.Arrays.class, read);
          } else {
            clear.beginControlFlow("for ($T row : $L)", StmtPrinter.typeName(lt.component()),
                read);
            clear.addStatement("$T.fill(row, 0)", java.util.Arrays.class);
            clear.endControlFlow();
          }
        }
        if (g.hasScalarPartials()) {
          clear.addStatement("$N = $L", n, RecordSignature.rebuild(g.shape(), (path, type1) -> {
            Function.Param leaf = RecordSignature.leafAt(g, path);
            return leaf.differentiable() && type1.dims() == 0 ? CodeBlock.of("$L", zero(type1))
                : RecordSignature.accessors(CodeBlock.of("$N", n), path);
          }));
        }
        continue;
      }
      Function.Param p = g.plain();
      if (p.var().type().dims() > 0) {
        b.addField(FieldSpec.builder(t, n, Modifier.PUBLIC, Modifier.FINAL)
            .addJavadoc("Derivatives with respect to {@code $L}.\n", n).build());
        ctor.addParameter(t, n).addStatement("this.$N = $N", n, n);
        ctor.addJavadoc("\n@param $L buffer for the derivatives with respect to {@code $L}", n, n);
        zeros.addParameter(t, n);
        zeros.addJavadoc("\n@param $L an argument of the shape to copy", n);
        // As text: a parameter named like a type (Adjoints) must not hide it here.
        arrays.add(CodeBlock.of("$L", CodeBlock.of("$T.zerosLike($N)", adjoints, n).toString()));
        if (p.var().type().dims() == 1) {
          clear.addStatement("$T.fill($N, 0)", java.util.Arrays.class, n);
        } else {
          clear.beginControlFlow("for ($T row : $N)", StmtPrinter.typeName(
              p.var().type().component()), n);
          clear.addStatement("$T.fill(row, 0)", java.util.Arrays.class);
          clear.endControlFlow();
        }
      } else {
        b.addField(FieldSpec.builder(t, n, Modifier.PUBLIC)
            .addJavadoc("Derivative with respect to {@code $L}.\n", n).build());
        clear.addStatement("$N = 0", n);
      }
    }
    zeros.addJavadoc("\n@return new zero buffers");
    zeros.addStatement("return new $T($L)", type, CodeBlock.join(arrays, ", "));
    // A field named like a type (Arrays) would hide it in clear(): write such types qualified.
    b.alwaysQualify(diff.stream().map(RecordSignature.Group::component).toArray(String[]::new));
    return b.addMethod(ctor.build()).addMethod(zeros.build()).addMethod(clear.build()).build();
  }

  /**
   * Adds the scalar partials of record parameter {@code g} into the accumulator: records are
   * immutable, so its field becomes a record with the new sums (its arrays, the buffers, kept).
   */
  private static void addScalarPartials(MethodSpec.Builder m, RecordSignature.Group g,
      ReverseMode.Result result, MethodSplitting.Result moved) {
    if (!g.hasScalarPartials()) {
      return;
    }
    java.util.Map<Var, Var> adjoints = new java.util.HashMap<>();
    for (ReverseMode.ParamAdjoint p : result.params()) {
      if (p.adjoint() != null) {
        adjoints.put(p.param().var(), p.adjoint());
      }
    }
    if (g.leaves().stream().noneMatch(p -> p.var().type().dims() == 0
        && adjoints.containsKey(p.var()))) {
      return;
    }
    CodeBlock field = CodeBlock.of("$N.$N", result.gradient().name(), g.name());
    m.addStatement("$L = $L", field, RecordSignature.rebuild(g.shape(), (path, type) -> {
      Function.Param leaf = RecordSignature.leafAt(g, path);
      CodeBlock old = RecordSignature.accessors(field, path);
      Var adjoint = adjoints.get(leaf.var());
      return type.dims() == 0 && adjoint != null
          ? CodeBlock.of("$L + $N", old, moved.nameOf(adjoint)) : old;
    }));
  }

  /**
   * The name of {@code p}'s record component and accumulator field: the name the user wrote,
   * which callers (also of a precompiled gradient) know, even where the generated method's
   * parameter had to be renamed.
   */
  /**
   * For a void method {@code f} that writes its out-parameter (at {@code out}): the value form
   * that {@code @Differentiable} callers' forward sweeps call, {@code f(args...)} returning the
   * out-parameter's new values in a new array and modifying no argument.
   */
  public void addValueForm(Function f, int out) {
    Var outVar = f.params().get(out).var();
    NameAllocator names = new NameAllocator();
    f.params().forEach(p -> names.reserve(p.var().name()));
    String result = names.allocate("result");
    String signature = f.name() + "(" + f.params().stream()
        .map(p -> p.var().type().javaName()).collect(Collectors.joining(", ")) + ")";
    MethodSpec.Builder m = MethodSpec.methodBuilder(f.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(StmtPrinter.typeName(outVar.type()))
        .addJavadoc("Runs {@link $L#$L} on a copy of {@code $L} and returns the copy, leaving "
            + "every argument unchanged:\nthe value of the out-parameter, as "
            + "{@code @Differentiable} callers use it.\n", ClassName.get(original).canonicalName(),
            signature, outVar.sourceName());
    for (Function.Param p : f.params()) {
      m.addParameter(StmtPrinter.typeName(p.var().type()), p.var().name());
      m.addJavadoc("\n@param $L as in {@code $L}", p.var().name(), f.name());
    }
    m.addJavadoc("\n@return the values {@code $L} holds after {@code $L}\n", outVar.sourceName(),
        f.name());
    m.addStatement("$T $N = $N.clone()", StmtPrinter.typeName(outVar.type()), result,
        outVar.name());
    m.addStatement("$T.$N($L)", ClassName.get(original), f.name(), f.params().stream()
        .map(p -> p.var() == outVar ? result : p.var().name()).collect(Collectors.joining(", ")));
    m.addStatement("return $N", result);
    methods.add(m.build());
  }

  private static String component(Function.Param p) {
    return p.var().sourceName();
  }

  /** The generated source file. */
  public JavaFile build() {
    TypeSpec.Builder type = TypeSpec.classBuilder(simpleName)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addOriginatingElement(original)
        .addJavadoc("Gradients of the {@code @Differentiable} methods of {@link $T}.\n",
            ClassName.get(original))
        .addJavadoc("\n<p>Generated by Adjoint at compile time; do not edit.\n")
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    if (generatedAnnotationAvailable) {
      type.addAnnotation(AnnotationSpec.builder(
              ClassName.get("javax.annotation.processing", "Generated"))
          .addMember("value", "$S", "dev.adjoint.processor.AdjointProcessor")
          .build());
    }
    methods.forEach(type::addMethod);
    records.forEach(type::addType);
    accumulators.forEach(type::addType);
    partsClasses.forEach(type::addType);
    if (!directionalValues.isEmpty()) {
      type.addType(TypeSpec.classBuilder(directionalClass)
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The directional derivatives of the methods that Hessian-vector products "
              + "call, whose gradients\nthe methods {@code fDirectional} of {@link $L} compute.\n",
              simpleName)
          .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
          .addMethods(directionalValues)
          .build());
    }
    return JavaFile.builder(packageName, type.build())
        .skipJavaLangImports(true)
        .indent("    ")
        .build();
  }

}
