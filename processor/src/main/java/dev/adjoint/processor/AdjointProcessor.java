package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.backend.GradClassWriter;
import dev.adjoint.processor.backend.GradientTooLarge;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.diagnostics.UnsupportedConstruct;
import dev.adjoint.processor.frontend.CalleeResolver;
import dev.adjoint.processor.frontend.CustomDerivatives;
import dev.adjoint.processor.frontend.CustomJvps;
import dev.adjoint.processor.frontend.HiddenAnnotations;
import dev.adjoint.processor.frontend.MethodLowering;
import dev.adjoint.processor.frontend.OutParameters;
import dev.adjoint.processor.frontend.RecordShapes;
import dev.adjoint.processor.frontend.SignatureCheck;
import dev.adjoint.processor.forward.ForwardMode;
import dev.adjoint.processor.frontend.TypeMapping;
import dev.adjoint.processor.inline.CallInlining;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.normalize.CountedForms;
import dev.adjoint.processor.normalize.ReturnNormalization;
import dev.adjoint.processor.reverse.ReverseMode;
import dev.adjoint.processor.transform.LoopInterchange;
import dev.adjoint.processor.transform.UnrollAndJam;
import dev.adjoint.processor.transform.SavedCalls;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Entry point of Adjoint's compiler: for every class with {@code @Differentiable} methods,
 * generates {@code <Class>Grad} holding their reverse-mode gradients.
 *
 * <p>The pipeline, one package per stage, for each method (see {@code generate}):
 *
 * <ol>
 *   <li>{@code frontend}: {@link SignatureCheck} checks the method's signature and
 *       {@link MethodLowering} lowers its body from javac's trees to the IR ({@code ir}).
 *   <li>{@code inline}: {@link CallInlining} replaces calls of small helpers by their bodies, so
 *       that a helper's forward pass runs once (analyses on and off alike).
 *   <li>{@code normalize}: {@link ReturnNormalization} puts every jump at the end of a path.
 *   <li>{@code transform}: {@link LoopInterchange} makes dot-product loops walk memory
 *       contiguously, {@link SavedCalls} computes each transcendental call of a differentiated
 *       statement once, into a local both sweeps read (analyses on only).
 *   <li>{@code analysis}: {@link Activity}, {@link Loops} and {@link Recording} decide what the
 *       gradient computes and keeps.
 *   <li>{@code reverse}: {@link ReverseMode} builds the gradient body, with the derivative tables
 *       of {@code rules}, then tidies it with the passes of {@code cleanup}.
 *   <li>{@code backend}: {@link GradClassWriter} writes the {@code Grad} class as Java source,
 *       splitting methods too large for the JVM.
 * </ol>
 *
 * <p>Every stage reports what it cannot handle through {@code diagnostics}: a message of the
 * {@link dev.adjoint.processor.diagnostics.Message} catalogue at the offending tree, never a
 * crash of javac.
 *
 * <p>Option {@code -Aadjoint.analyses=off} disables activity and to-be-recorded analysis (every
 * floating variable gets an adjoint and every overwrite is saved), to check that the analyses
 * never change a gradient.
 */
@AutoService(Processor.class)
public final class AdjointProcessor extends AbstractProcessor {
  /** Processor option that switches the optimising analyses off. */
  public static final String ANALYSES_OPTION = "adjoint.analyses";
  /**
   * Processor option naming a method on which the processor fails on purpose: lets tests prove
   * that an internal failure becomes a compile error on the method, never a javac crash.
   */
  public static final String CRASH_TEST_OPTION = "adjoint.internal.failOn";
  /**
   * Processor option giving, in estimated bytes of bytecode, the size above which gradient
   * methods are split into parts and the size of the parts: lets tests split small methods.
   */
  public static final String SPLIT_TEST_OPTION = "adjoint.internal.splitAbove";
  /**
   * Processor option that, set to {@code off}, keeps every call of a helper a call of its
   * generated gradient (no {@link CallInlining}): for comparisons and for tests of the call path.
   */
  public static final String INLINE_OPTION = "adjoint.inline";
  private static final String GENERATED = "javax.annotation.processing.Generated";

  private Trees trees;
  private long cpuNanos;
  private Reporter reporter;
  private CustomDerivatives customs;
  private CustomJvps jvps;
  /** The methods of this round whose forward-mode form is generated. */
  private Set<ExecutableElement> forwardForms = Set.of();
  /** Lowered bodies of the helpers inlined this round (empty when one does not lower cleanly). */
  private final Map<ExecutableElement, java.util.Optional<Function>> helperBodies =
      new java.util.HashMap<>();
  /**
   * The methods of this round whose directional derivative, with its gradient, is generated:
   * those with {@code hessian = true} and the methods they call, which their Hessian-vector
   * products chain through.
   */
  private Set<ExecutableElement> directionalForms = Set.of();

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    try {
      trees = Trees.instance(env);
    } catch (IllegalArgumentException e) {
      trees = null; // not javac: reported when an annotated method is found
    }
    reporter = new Reporter(env.getMessager(), trees);
    classFileRecords = new dev.adjoint.processor.frontend.ClassFileRecords(env.getFiler(),
        env.getElementUtils());
  }

  /** Which records compiled earlier have the implicit canonical constructor. */
  private dev.adjoint.processor.frontend.ClassFileRecords classFileRecords;

  /**
   * Adjoint's own annotations (with {@code @WritesInPlace}, which it puts on the records it
   * generates), and {@code @Generated}, which marks the classes it writes: claiming them keeps
   * {@code -Xlint:processing} quiet about the generated code (no other processor needs them).
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(GradNames.DIFFERENTIABLE, GradNames.NO_DERIVATIVE,
        CustomDerivatives.DERIVATIVE_OF, CustomJvps.JVP_OF, GradNames.WRITES_IN_PLACE, GENERATED);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(ANALYSES_OPTION, INLINE_OPTION, CRASH_TEST_OPTION, SPLIT_TEST_OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /** CPU time the processor has used so far, in nanoseconds (for benchmarks). */
  public long cpuNanos() {
    return cpuNanos;
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    customs = new CustomDerivatives(processingEnv.getElementUtils());
    helperBodies.clear();
    directCallees.clear();
    seededForms.clear();
    jvps = new CustomJvps(processingEnv.getElementUtils());
    for (TypeElement annotation : annotations) {
      if (annotation.getQualifiedName().contentEquals(CustomDerivatives.DERIVATIVE_OF)) {
        customs.registerAll(round.getElementsAnnotatedWith(annotation));
      } else if (annotation.getQualifiedName().contentEquals(CustomJvps.JVP_OF)) {
        jvps.registerAll(round.getElementsAnnotatedWith(annotation));
      }
    }
    customs.problems().forEach(reporter::report);
    jvps.problems().forEach(reporter::report);
    for (TypeElement annotation : annotations) {
      if (!annotation.getQualifiedName().contentEquals(GradNames.DIFFERENTIABLE)) {
        continue;
      }
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        if (e instanceof ExecutableElement m && e.getEnclosingElement() instanceof TypeElement t) {
          byClass.computeIfAbsent(t, k -> new java.util.ArrayList<>()).add(m);
        }
      }
    }
    if (trees != null) {
      reportHiddenMethods(round);
    }
    if (byClass.isEmpty()) {
      return true;
    }
    if (trees == null) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Message.NEEDS_JAVAC.format());
      return true;
    }
    List<ExecutableElement> all = byClass.values().stream().flatMap(List::stream).toList();
    forwardForms = ForwardClosure.of(trees, all, GradNames::wantsForward);
    directionalForms = ForwardClosure.of(trees, all, GradNames::wantsHessian);
    cpuNanos += DeepStack.run(() -> {
      for (Map.Entry<TypeElement, List<ExecutableElement>> entry : byClass.entrySet()) {
        generate(entry.getKey(), entry.getValue());
      }
    });
    return true;
  }

  /** Errors on {@code @Differentiable} methods of local and anonymous classes, which javac hides. */
  private void reportHiddenMethods(RoundEnvironment round) {
    Set<CompilationUnitTree> units = new LinkedHashSet<>();
    for (Element e : round.getRootElements()) {
      TreePath path = trees.getPath(e);
      if (path != null) {
        units.add(path.getCompilationUnit());
      }
    }
    units.forEach(unit -> HiddenAnnotations.find(unit).forEach(reporter::report));
  }

  /**
   * Adds the Hessian-vector product of {@code f}: forward mode along the directions gives the
   * directional derivative as a function of the arguments, and reverse mode its gradient, which
   * is the Hessian times the directions (reverse over forward: the same products as forward
   * over reverse, with the existing reverse transform and its analyses). Calls of other
   * methods in the directional derivative are calls of their directional derivatives, whose
   * gradients {@link #addDirectional} generates.
   */
  private void addHvp(GradClassWriter writer, ExecutableElement method, Function f,
      boolean analyses, ForwardMode.Calls calls, OutParameters.Result written) {
    // The HVP calls f for its value, which prints what f prints: the rest prints nothing.
    f = withoutPrints(f);
    ForwardMode.Result directional = ForwardMode.transform(f, analyses, "v", calls,
        (value, tangent, source) -> new Stmt.Return(tangent, source));
    List<Function.Param> params = new java.util.ArrayList<>(f.params());
    directional.tangents().forEach(v -> params.add(new Function.Param(v.var(), false,
        v.leaf())));
    Function g = new Function(GradNames.hvpMethodName(f.name()), params, f.returnType(),
        directional.body(), f.source());
    Reversed r = reverse(g, analyses);
    writer.addHvp(f, r.normal(), GradNames.hvpRecordName(method),
        GradNames.hvpAccumulatorName(method), r.result(),
        OutParameters.writtenPositions(written));
  }

  /**
   * Adds the directional derivative of {@code f} (a function of its arguments and of one
   * tangent per differentiable parameter, differentiable in both) and its gradient: what a
   * Hessian-vector product calling {@code f} chains through. The gradient with respect to the
   * arguments is the Hessian times the tangents; with respect to the tangents, {@code f}'s
   * gradient.
   */
  private void addDirectional(GradClassWriter writer, ExecutableElement method, Function f,
      boolean analyses, ForwardMode.Calls calls) {
    // What a caller's HVP chains through, which is not what the user's code calls: no prints
    // (a hessian = true caller of a printing method is an error, PrintingCallees).
    f = withoutPrints(f);
    ForwardMode.Result directional = ForwardMode.transform(f, analyses, "t", calls,
        (value, tangent, source) -> new Stmt.Return(tangent, source));
    List<Function.Param> params = new java.util.ArrayList<>(f.params());
    params.addAll(directional.tangents());
    Function d = new Function(GradNames.directionalMethodName(f.name()), params,
        f.returnType(), directional.body(), f.source());
    writer.addDirectionalValue(d, GradNames.directionalClassName(method), f);
    Reversed r = reverse(d, analyses);
    writer.addDirectionalGradient(r.normal(), GradNames.directionalRecordName(method),
        GradNames.directionalAccumulatorName(method), r.result());
  }

  private static Function withoutPrints(Function f) {
    return new Function(f.name(), f.params(), f.returnType(), Stmt.withoutPrints(f.body()),
        f.source());
  }

  private record Reversed(Function normal, ReverseMode.Result result) {}

  /**
   * The reverse-mode pipeline, on a method's lowered (and possibly inlined) body or on a
   * generated function (an HVP's directional derivative): the same passes for both, so that a
   * spelling costs the same in every form. Inlining has already run, so {@link CountedForms}
   * shapes the inlined helpers' loops too and {@link SavedCalls} binds their transcendental
   * calls.
   */
  private static Reversed reverse(Function f, boolean analyses) {
    return reverse(f, analyses, false, c -> false);
  }

  /**
   * {@link #reverse(Function, boolean)} on a method's body, whose calls that stay calls chain
   * through their callees' seeded accumulating forms where they have one; with {@code seeded},
   * the method's own accumulating form takes a seed.
   */
  private Reversed reverseMethod(Function f, boolean analyses, boolean seeded) {
    return reverse(f, analyses, seeded, this::hasSeededForm);
  }

  private static Reversed reverse(Function f, boolean analyses, boolean seeded,
      java.util.function.Predicate<dev.adjoint.processor.ir.Callee> seededForms) {
    Function normal = CountedForms.apply(ReturnNormalization.normalize(f));
    Var scratch = null;
    if (analyses) {
      LoopInterchange.Result interchanged = LoopInterchange.apply(normal);
      normal = interchanged.function();
      scratch = interchanged.scratch();
      normal = SavedCalls.apply(normal, Activity.of(normal, true));
    }
    Activity activity = Activity.of(normal, analyses);
    Loops loops = Loops.of(normal, activity, analyses);
    Recording recording = Recording.of(normal, activity, loops, analyses);
    // Records always get the accumulating form: its accumulator holds their partials.
    boolean accumulate = normal.returnType().dims() > 0 || normal.hasRecords()
        || normal.params().stream().anyMatch(p -> p.var().type().dims() > 0);
    return new Reversed(normal, ReverseMode.transform(normal, activity, recording, loops,
        accumulate, scratch, seeded && accumulate, seededForms));
  }

  /**
   * The {@code @Differentiable} methods of this compilation that each method calls directly
   * (by its source), for {@link #recursive}.
   */
  private final Map<ExecutableElement, Set<ExecutableElement>> directCallees =
      new java.util.HashMap<>();
  private final Map<ExecutableElement, Boolean> seededForms = new java.util.HashMap<>();

  private Set<ExecutableElement> directCallees(ExecutableElement m) {
    return directCallees.computeIfAbsent(m, k -> {
      Set<ExecutableElement> out = new LinkedHashSet<>();
      TreePath path = trees.getPath(k);
      if (path != null) {
        new com.sun.source.util.TreePathScanner<Void, Void>() {
          @Override
          public Void visitMethodInvocation(com.sun.source.tree.MethodInvocationTree node,
              Void unused) {
            Element callee = trees.getElement(getCurrentPath());
            if (callee instanceof ExecutableElement e && GradNames.isDifferentiable(e)
                && trees.getPath(e) != null) {
              out.add(e);
            }
            return super.visitMethodInvocation(node, unused);
          }
        }.scan(path, null);
      }
      return out;
    });
  }

  /** True when {@code m} calls itself, directly or through other methods of this compilation. */
  private boolean recursive(ExecutableElement m) {
    Set<ExecutableElement> seen = new java.util.HashSet<>();
    java.util.Deque<ExecutableElement> work = new java.util.ArrayDeque<>(directCallees(m));
    while (!work.isEmpty()) {
      ExecutableElement e = work.poll();
      if (e.equals(m)) {
        return true;
      }
      if (seen.add(e)) {
        work.addAll(directCallees(e));
      }
    }
    return false;
  }

  /**
   * Whether {@code m}, a method of this compilation, gets the seeded accumulating form
   * {@code f(args..., seed, accumulator)}: a scalar function with an accumulating form (array
   * or record parameters) whose calls stay calls whatever the call site, being recursive or
   * too large to inline. Its callers' reverse sweeps then add into their own buffers through
   * it, instead of allocating a gradient record (a whole model's, for a model record) per call.
   */
  private boolean hasSeededForm(ExecutableElement m) {
    Boolean known = seededForms.get(m);
    if (known != null) {
      return known;
    }
    dev.adjoint.processor.ir.Type result = TypeMapping.of(m.getReturnType());
    boolean accumulating = !m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)
        && RecordShapes.recordOf(m.getEnclosingElement().asType()) != null;
    for (var p : m.getParameters()) {
      dev.adjoint.processor.ir.Type t = TypeMapping.of(p.asType());
      accumulating |= t != null && t.dims() > 0 || RecordShapes.recordOf(p.asType()) != null;
    }
    boolean seeded = result != null && result.dims() == 0 && result.isFloating() && accumulating
        && (recursive(m) || !CallInlining.inlinable(helperBodyOf(m)));
    seededForms.put(m, seeded);
    return seeded;
  }

  /**
   * Whether the generated class of {@code callee} has its seeded accumulating form: for a
   * method of this compilation, {@link #hasSeededForm(ExecutableElement)}; for one compiled
   * earlier, whether its {@code Grad} class has a method of that signature.
   */
  private boolean hasSeededForm(Callee callee) {
    if (callee.accumulatorName() == null || callee.returnType() == null
        || callee.returnType().dims() > 0 || callee.outParameter() >= 0) {
      return false;
    }
    ExecutableElement m = elementOf(callee);
    if (m == null || !GradNames.isDifferentiable(m)) {
      return false;
    }
    if (trees.getPath(m) != null) {
      return hasSeededForm(m);
    }
    TypeElement grad = processingEnv.getElementUtils().getTypeElement(callee.gradClass());
    if (grad == null) {
      return false;
    }
    int arity = m.getParameters().size()
        + (m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC) ? 0 : 1) + 2;
    for (ExecutableElement g : javax.lang.model.util.ElementFilter.methodsIn(
        grad.getEnclosedElements())) {
      if (g.getSimpleName().contentEquals(callee.method())
          && g.getParameters().size() == arity
          && g.getParameters().get(arity - 2).asType().getKind().isPrimitive()
          && g.getParameters().get(arity - 1).asType().toString()
              .endsWith("." + callee.accumulatorName())) {
        return true;
      }
    }
    return false;
  }

  private static String selfKey(ExecutableElement method) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    String pkg = GradNames.packageName(owner);
    String qualified = owner.getQualifiedName().toString();
    return CallInlining.key(pkg, pkg.isEmpty() ? qualified : qualified.substring(pkg.length() + 1),
        method.getSimpleName().toString(), loweredParameterTypes(method));
  }

  /**
   * The types of {@code method}'s parameters as the front end lowers them, which a
   * {@link Callee}'s parameters have: the receiver's leaves first for an instance method of a
   * record, then each parameter's type, a record parameter as its leaves.
   */
  private static List<dev.adjoint.processor.ir.Type> loweredParameterTypes(
      ExecutableElement method) {
    List<dev.adjoint.processor.ir.Type> out = new java.util.ArrayList<>();
    if (!method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
      RecordShapes.Result self = RecordShapes.of(method.getEnclosingElement().asType());
      if (self.shape() != null) {
        self.shape().leaves().forEach(l -> out.add(l.type()));
      } else {
        out.add(null);
      }
    }
    for (var p : method.getParameters()) {
      if (RecordShapes.recordOf(p.asType()) != null) {
        RecordShapes.Result shape = RecordShapes.of(p.asType());
        if (shape.shape() != null) {
          shape.shape().leaves().forEach(l -> out.add(l.type()));
          continue;
        }
      }
      // String and enum parameters as the front end maps them (a reference), so that a helper
      // taking one is found, and inlined, like any other.
      out.add(TypeMapping.ofParameter(p.asType()));
    }
    return out;
  }

  /**
   * The lowered body of {@code callee} when its source is in this compilation and it lowers
   * without problems (which its own generation reports), for {@link CallInlining}; else null.
   */
  private Function helperBody(Callee callee, CalleeResolver callees) {
    ExecutableElement m = elementOf(callee);
    if (m == null || trees.getPath(m) == null || !GradNames.isDifferentiable(m)) {
      return null; // precompiled: its generated gradient is called
    }
    return helperBody(m, callees);
  }

  /** As {@link #helperBody(Callee, CalleeResolver)} for method {@code m} of this compilation. */
  private Function helperBodyOf(ExecutableElement m) {
    OutParameters outParameters = new OutParameters(trees, processingEnv.getElementUtils());
    return helperBody(m, new CalleeResolver(processingEnv.getElementUtils(),
        type -> trees.getPath(type) != null, customs, outParameters::of));
  }

  private Function helperBody(ExecutableElement m, CalleeResolver callees) {
    var elements = processingEnv.getElementUtils();
    return helperBodies.computeIfAbsent(m, k -> {
      try {
        if (SignatureCheck.check(k).stream().anyMatch(p -> !p.isWarning())) {
          return java.util.Optional.empty();
        }
        MethodLowering lowering = new MethodLowering(trees, elements, callees)
            .classFileRecords(classFileRecords);
        Function body = lowering.lowerForInlining(k);
        return lowering.problems().isEmpty() && body != null
            && lowering.inPlaceCalls().isEmpty()
            ? java.util.Optional.of(body) : java.util.Optional.empty();
      } catch (RuntimeException | StackOverflowError e) {
        return java.util.Optional.empty();
      }
    }).orElse(null);
  }

  /** The method {@code callee} calls, or null when its class cannot be found. */
  private ExecutableElement elementOf(Callee callee) {
    TypeElement owner = processingEnv.getElementUtils().getTypeElement(
        callee.packageName().isEmpty() ? callee.ownerName()
            : callee.packageName() + "." + callee.ownerName());
    if (owner == null) {
      return null;
    }
    String key = CallInlining.key(callee.packageName(), callee.ownerName(), callee.method(),
        callee.params().stream().map(Callee.Param::type).toList());
    for (ExecutableElement m : javax.lang.model.util.ElementFilter.methodsIn(
        owner.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(callee.method()) && selfKey(m).equals(key)) {
        return m;
      }
    }
    return null;
  }

  private void generate(TypeElement owner, List<ExecutableElement> methods) {
    boolean analyses = !"off".equals(processingEnv.getOptions().get(ANALYSES_OPTION));
    GradClassWriter writer = new GradClassWriter(GradNames.packageName(owner),
        GradNames.gradSimpleName(owner), owner,
        processingEnv.getElementUtils()
            .getTypeElement("javax.annotation.processing.Generated") != null);
    String splitAbove = processingEnv.getOptions().get(SPLIT_TEST_OPTION);
    if (splitAbove != null) {
      try {
        writer.splitAbove(Integer.parseInt(splitAbove));
      } catch (NumberFormatException e) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.SPLIT_OPTION.format(SPLIT_TEST_OPTION, splitAbove));
        return;
      }
    }
    OutParameters outParameters = new OutParameters(trees, processingEnv.getElementUtils());
    CalleeResolver callees = new CalleeResolver(processingEnv.getElementUtils(),
        type -> trees.getPath(type) != null, customs, outParameters::of);
    methods.forEach(m -> {
      writer.reserve(GradNames.recordName(m), GradNames.accumulatorName(m));
      writer.reserve(GradNames.jvpRecordName(m), GradNames.hvpRecordName(m));
      writer.reserve(GradNames.hvpAccumulatorName(m), GradNames.hvpRecordName(m));
      writer.reserve(GradNames.directionalRecordName(m), GradNames.directionalAccumulatorName(m));
      writer.reserve(GradNames.directionalClassName(m), GradNames.directionalClassName(m));
    });
    PrintingCallees printingCallees = new PrintingCallees(trees, this::elementOf);
    int generated = 0;
    for (ExecutableElement method : methods) {
      try {
        List<Problem> problems = SignatureCheck.check(method);
        problems.forEach(reporter::report);
        if (problems.stream().anyMatch(p -> !p.isWarning())) {
          continue;
        }
        if (method.getSimpleName().contentEquals(
            processingEnv.getOptions().getOrDefault(CRASH_TEST_OPTION, ""))) {
          throw new IllegalStateException("failure requested by -A" + CRASH_TEST_OPTION);
        }
        MethodLowering lowering = new MethodLowering(trees, processingEnv.getElementUtils(),
            callees).classFileRecords(classFileRecords);
        Function f = lowering.lower(method);
        if (!lowering.problems().isEmpty()) {
          lowering.problems().forEach(reporter::report);
          continue;
        }
        // Inlined into the normalised body, where the branches that returns make are explicit
        // (a helper declaring an array is inlined only outside loops and branches).
        Function inlined = f;
        if (!"off".equals(processingEnv.getOptions().get(INLINE_OPTION))) {
          Function normal = ReturnNormalization.normalize(f);
          Function withBodies = CallInlining.apply(normal, selfKey(method),
              c -> helperBody(c, callees));
          inlined = withBodies == normal ? f : withBodies;
        }
        List<Problem> notInlined = new java.util.ArrayList<>();
        Stmt.all(inlined.body(), true).forEach(st -> {
          Problem p = lowering.inPlaceCalls().get(st);
          if (p == null && st instanceof Stmt.Eval e && e.expr() instanceof Expr.DiffCall c) {
            int k = c.callee().outParameter();
            p = Problem.on(method, Message.OUT_CALL_NESTED, c.callee().method(),
                k >= 0 && c.args().get(k) instanceof Expr.Read r ? r.var().sourceName() : "?");
          }
          if (p != null) {
            notInlined.add(p);
          }
        });
        if (!notInlined.isEmpty()) {
          notInlined.forEach(reporter::report);
          continue;
        }
        Reversed reversed;
        boolean seeded = hasSeededForm(method);
        try {
          reversed = reverseMethod(inlined, analyses, seeded);
        } catch (RuntimeException | StackOverflowError e) {
          if (inlined == f || !lowering.inPlaceCalls().isEmpty()) {
            throw e; // (a void helper called in a loop or a branch has no other form)
          }
          // What the inlined helpers bring in is beyond the reverse transform: call them.
          reversed = reverseMethod(f, analyses, seeded);
        }
        // Forward mode and the HVP call a callee's JVP or directional form as they are.
        Function lowered = lowering.inPlaceCalls().isEmpty() ? f : inlined;
        UnsupportedConstruct printing = printingCallees.firstCall(reversed.normal().body());
        if (printing == null && GradNames.wantsHessian(method)) {
          printing = printingCallees.firstCall(lowered.body());
        }
        if (printing != null) {
          throw printing;
        }
        Function normal = reversed.normal();
        OutParameters.Result writes = outParameters.of(method);
        writer.writesInPlace(GradNames.recordName(method),
            OutParameters.writtenPositions(writes), writes.index());
        writer.add(normal, GradNames.recordName(method), GradNames.accumulatorName(method),
            reversed.result(), lowering.recordResult());
        if (OutParameters.isVoid(method)
            && !method.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
          writer.addValueForm(normal, writes.index());
        }
        // Forward mode calls helpers' JVP forms; a void helper called in a loop or a branch has
        // only its inlined body (lowered, above).
        if (forwardForms.contains(method)) {
          String record = GradNames.jvpRecordName(method);
          // sums of dot products side by side: the JVP runs twice as many chains of additions
          Function shaped = CountedForms.apply(lowered);
          Function jammed = analyses ? UnrollAndJam.apply(shaped) : shaped;
          ForwardMode.Result jvp = ForwardMode.transform(jammed, lowering.recordResult(),
              analyses, "t",
              new ForwardCallees(processingEnv.getElementUtils(), forwardForms, jvps, callees),
              (value, tangent, source) -> new Stmt.Return(new Expr.NewRecord(
                  GradNames.packageName(owner), GradNames.gradSimpleName(owner) + "." + record,
                  List.of(value, tangent)), source));
          writer.addJvp(jammed, GradNames.jvpMethodName(f.name()), record, jvp,
              lowering.recordResult());
        }
        ForwardCallees secondOrder = new ForwardCallees(processingEnv.getElementUtils(),
            forwardForms, jvps, callees).secondOrder(directionalForms);
        Function second = CountedForms.apply(lowered);
        if (GradNames.wantsHessian(method) && second.returnType().dims() == 0) {
          // (an array result, or a void method's out-parameter: its directional forms only)
          addHvp(writer, method, second, analyses, secondOrder, writes);
        }
        if (directionalForms.contains(method) && lowering.recordResult() == null) {
          addDirectional(writer, method, second, analyses, secondOrder);
        }
        generated++;
      } catch (GradientTooLarge e) {
        reporter.report(Problem.on(method, Message.GRADIENT_TOO_LARGE, e.getMessage()));
      } catch (UnsupportedConstruct e) {
        reporter.report(method, e);
      } catch (StackOverflowError e) {
        reporter.tooDeep(method);
      } catch (RuntimeException e) {
        reporter.internalError(method, e);
      }
    }
    if (generated == 0) {
      return;
    }
    try {
      writer.build().writeTo(processingEnv.getFiler());
    } catch (IOException | RuntimeException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Message.WRITE_FAILED.format(GradNames.gradQualifiedName(owner), e), owner);
    }
  }
}
