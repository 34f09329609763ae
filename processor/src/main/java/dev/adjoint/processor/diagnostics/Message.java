package dev.adjoint.processor.diagnostics;

import java.util.Locale;

/**
 * Every message Adjoint shows a user, in one place (as MapStruct's {@code Message} enum): what is
 * wrong and what to do. Each error and warning carries a stable id, printed in front of its text
 * as AutoValue prints {@code [AutoValueFinal]}:
 *
 * <pre>Bad.java:7: error: [AdjointTry] try statements are not supported ...</pre>
 *
 * <p>The id is the constant's name in Upper Camel Case after {@code Adjoint}; users search for
 * it and tests match it, so a constant is never renamed, only added or retired. Texts are
 * {@link String#format} templates whose {@code %s} take the arguments in order. Constants of
 * kind {@link Kind#PART} are pieces that go into another message's text and carry no id.
 */
public enum Message {
  // ---------------------------------------------------------------- signature of the method

  NOT_STATIC(Kind.ERROR, "@Differentiable method %s must be static, or an instance method of a "
      + "record; %s is a class, whose fields can change: make it a record (record %s(double[] w, "
      + "...)) or make the method static and pass the state as parameters"),
  NO_BODY(Kind.ERROR, "@Differentiable method %s must have a body"),
  GENERIC(Kind.ERROR, "@Differentiable method %s must not be generic; write one method per "
      + "primitive type"),
  RETURN_TYPE(Kind.ERROR, "@Differentiable method %s must return double, float, double[] or "
      + "float[], or be void and write its result into an array parameter, not %s"),
  VOID_WITHOUT_OUT_PARAMETER(Kind.ERROR, "void @Differentiable method %s writes no element of a "
      + "double[] or float[] parameter without @NoDerivative, so it has no result to "
      + "differentiate: write its result into the elements of one array parameter (its "
      + "out-parameter, as in out[i] = ...), or return the result"),
  VOID_WITH_SEVERAL_OUT_PARAMETERS(Kind.ERROR, "void @Differentiable method %s writes the "
      + "elements of several array parameters (%s); a void @Differentiable method has one "
      + "out-parameter: split it into one method per output array"),
  VARARGS(Kind.ERROR, "@Differentiable method %s must not have variable arity; declare the "
      + "parameters one by one"),
  INNER_CLASS(Kind.ERROR, "@Differentiable methods must be declared in a top-level class or a "
      + "static nested class; %s is an inner or local class"),
  HIDDEN_CLASS(Kind.ERROR, "@Differentiable has no effect in a local or anonymous class: "
      + "annotation processors cannot see them. Move the method to a top-level or nested (static "
      + "member) class."),
  PARAMETER_TYPE(Kind.ERROR, "parameter %s has type %s; @Differentiable methods take primitives, "
      + "arrays of primitives of at most two dimensions, records of them, and enums and Strings "
      + "(to switch over)"),
  CLASS_PARAMETER(Kind.ERROR, "parameter %s has type %s, a class, whose fields can change; "
      + "@Differentiable methods take primitives, arrays of primitives and records of them: make "
      + "%s a record (record %s(double[] w, ...)) or pass its arrays as parameters"),
  RECORD_COMPONENT_TYPE(Kind.ERROR, "record %s has component %s of type %s; a record passed to a "
      + "@Differentiable method may hold only primitives, arrays of primitives of at most two "
      + "dimensions and such records: pass %s as a parameter of its own (with @NoDerivative if it "
      + "is not to be differentiated)"),
  RECORD_RECURSIVE(Kind.ERROR, "record %s contains itself; a record passed to a @Differentiable "
      + "method must be a tree of primitives and arrays"),
  RECORD_LOCAL(Kind.ERROR, "record %s is local to a method, and the generated gradient class "
      + "cannot name it; declare it top-level or as a member of a class"),
  RECORD_GENERIC(Kind.ERROR, "record %s is generic; a record passed to a @Differentiable method "
      + "must have primitive or array components: write one record per primitive type"),
  RECORD_PRIVATE(Kind.ERROR, "record %s is private, and the generated gradient class cannot name "
      + "it; make it package-private"),
  RECORD_RESULT(Kind.ERROR, "@Differentiable method %s returns record %s, which has no double or "
      + "float component to differentiate"),
  RECORD_RETURN_PLACE(Kind.ERROR, "a method returning a record must return it once, as its last "
      + "statement; compute the components first, then return new P(...) at the end"),
  RECORD_RETURN_VALUE(Kind.ERROR, "cannot return %s: a method returning a record must return a "
      + "record parameter, a record local, a component that is a record or new P(...)"),
  SEED_PARAMETER(Kind.ERROR, "a method returning an array cannot have a parameter named 'seed': "
      + "its gradient method adds a parameter of that name; rename it"),
  NO_DERIVATIVE_WITHOUT_EFFECT(Kind.WARNING, "@NoDerivative has no effect on %s parameter %s: "
      + "only double and float parameters are differentiated"),
  RESERVED_PARAMETER_NAME(Kind.ERROR, "a differentiable parameter cannot be named '%s': the "
      + "generated record would have a clashing component; rename the parameter"),
  TOO_MANY_PARAMETERS(Kind.ERROR, "@Differentiable method %s has too many parameters for its "
      + "gradient: the JVM allows %s parameter slots per method (double takes two), and the "
      + "gradient needs %s; pass the parameters as an array"),

  // ---------------------------------------------------------------- statements

  LOCAL_TYPE(Kind.ERROR, "local variable '%s' has type %s; @Differentiable methods support only "
      + "primitive locals and arrays: declare it double (or another primitive), or compute the "
      + "value in the caller and pass it as a parameter"),
  ARRAY_DIMENSIONS(Kind.ERROR, "arrays of more than two dimensions are not supported; flatten "
      + "the last dimensions into one (double[n][m * k], indexed t[i][j * k + l])"),
  NULL_ARRAY(Kind.ERROR, "array '%s' cannot be null in a @Differentiable method: give it its "
      + "array where it is declared (new double[n], an initialiser, a call's result or another "
      + "array variable); to choose between arrays, assign '%s' in each branch of an if"),
  ARRAY_LOCAL_UNINITIALISED(Kind.ERROR, "array local '%s' must be initialised where it is "
      + "declared"),
  ARRAY_ALIAS(Kind.ERROR, "array '%s' must be given a new array, an array initialiser, a "
      + "call's result, another array variable or a row of one; to choose between arrays, use an "
      + "if statement that assigns '%s' in each branch"),
  ARRAY_RETURNED_IN_LOOP(Kind.ERROR, "inside a loop, return an array variable declared before "
      + "the loop; assign the result to one first"),
  // Unreached: javac requires the label; LabelledStatement reports the labelled statement first.
  LABELLED_BREAK(Kind.ERROR, "labelled break is not supported in @Differentiable methods; use a "
      + "boolean flag to leave the outer loop"),
  // Unreached: javac requires the label; LabelledStatement reports the labelled statement first.
  LABELLED_CONTINUE(Kind.ERROR, "labelled continue is not supported in @Differentiable methods; "
      + "use a boolean flag instead"),
  LABELLED_STATEMENT(Kind.ERROR, "labelled statements (and labelled break and continue) are not "
      + "supported in @Differentiable methods; use a boolean flag to leave an outer loop"),
  SWITCH_SELECTOR(Kind.ERROR, "switch in @Differentiable methods is supported over int, char, "
      + "short, byte, enum and String values, with constant labels; use if/else for other types"),
  SWITCH_EXPRESSION_TYPE(Kind.ERROR, "switch expressions in @Differentiable methods must have a "
      + "number or boolean value in every case"),
  UPDATE_NEEDS_TEMPORARY(Kind.ERROR, "this update needs a temporary value (a floating-point x++ "
      + "whose value is used); move it to the end of the loop body"),
  DO_WHILE_EFFECT_AND_CONTINUE(Kind.ERROR, "a do/while condition that assigns cannot be combined "
      + "with continue in the body; use an if around the rest of the body instead of continue"),
  TRY(Kind.ERROR, "try statements are not supported in @Differentiable methods; a "
      + "differentiable function must be pure and cannot throw"),
  THROW(Kind.ERROR, "throw is not supported in @Differentiable methods; validate arguments "
      + "before calling the function"),
  SYNCHRONIZED(Kind.ERROR, "synchronized is not supported in @Differentiable methods; a "
      + "differentiable function must be pure"),
  LOCAL_CLASS(Kind.ERROR, "local classes are not supported in @Differentiable methods; declare "
      + "the class outside the method"),
  ASSERT(Kind.ERROR, "assert is not supported in @Differentiable methods; check the condition "
      + "in the caller, before calling the function"),
  STATEMENT(Kind.ERROR, "this statement (%s) is not supported in @Differentiable methods; write "
      + "it with the supported statements (local variables, assignments, if, switch, loops, "
      + "return)"),
  ENHANCED_FOR_OVER_NON_ARRAY(Kind.ERROR, "enhanced for loops are supported over arrays only; "
      + "pass the values as a double[] parameter, or put them in a local array "
      + "(double[] values = {1, 2};), and loop over that"),

  // ---------------------------------------------------------------- assignments

  DISCARDED_CALL(Kind.ERROR, "the result of this call is discarded; use its value "
      + "(double y = ...) or remove the call (only a void @Differentiable method, which writes "
      + "its array out-parameter, and System.out.println, print, printf and format may be "
      + "called as statements)"),
  PRINT_METHOD(Kind.ERROR, "System.%s.%s is not supported in @Differentiable methods; print "
      + "with println, print, printf or format"),
  PRINTING_CALLEE(Kind.ERROR, "%s prints, and this call of it is not inlined (it is too "
      + "large or recursive, a void method called at the top level, the caller is "
      + "hessian = true, or -Aadjoint.inline=off), so the "
      + "gradient would print its output twice: the reverse sweep runs %s's gradient, which "
      + "prints again. Print in this method instead (after the call), or remove the print from "
      + "%s"),
  PRINT_ARGUMENT(Kind.ERROR, "cannot print %s in a @Differentiable method: a print's arguments "
      + "may be primitive values, String literals and constants, String and enum parameters, "
      + "and + concatenations of them; print an array element by element (x[i]), and anything "
      + "else in the caller"),
  OUT_ARGUMENT_NOT_A_VARIABLE(Kind.ERROR, "the out-argument of %s must be an array variable; "
      + "call it on a local array (double[] h = new double[n]) and copy the elements where they "
      + "belong"),
  OUT_ARGUMENT_ALSO_INPUT(Kind.ERROR, "'%s' is both the out-argument of %s and another of its "
      + "arguments; pass a separate array for the result"),
  OUT_CALL_NESTED(Kind.ERROR, "a void @Differentiable method (%s, which writes '%s') called "
      + "inside a loop or a branch is inlined, and this call cannot be (it calls itself, "
      + "directly or not, declares a local array, or is nested too deep in such calls); call it "
      + "at the top level of the method, or write the loop inside a @Differentiable helper"),
  NEVER_RETURNS(Kind.ERROR, "a path through this method neither returns nor ends (a loop "
      + "without a return or break that leaves it); add a return or a break to the loop"),
  // Unreached: every expression statement javac accepts has its case; guards new kinds.
  EXPRESSION_STATEMENT(Kind.ERROR, "this expression statement (%s) is not supported in "
      + "@Differentiable methods: it computes nothing the function can use; remove it"),
  ARRAY_STORE(Kind.ERROR, "only elements can be assigned; array variables and rows cannot be "
      + "reassigned in @Differentiable methods"),
  BOOLEAN_ELEMENT_STORE(Kind.ERROR, "elements of boolean arrays cannot be assigned in "
      + "@Differentiable methods; keep the flags in an int[] (0 or 1) instead"),
  PARAMETER_WRITE(Kind.ERROR, "writing to the elements of the parameter array '%s' here is not "
      + "supported; write them as %s[i] = ..., %s[i][j] = ... or through a row alias "
      + "(double[] row = %s[i]), which make the gradient work on a copy, or copy it into a "
      + "local array first"),
  ELEMENT_STORE(Kind.ERROR, "this element cannot be assigned; assign elements of local arrays "
      + "only"),
  ARRAY_REASSIGNED(Kind.ERROR, "'%s' was declared as a row of another array, which it stands "
      + "for, so it cannot be reassigned; declare it with a whole array variable or a new array "
      + "(float[] h = x;) to reassign it"),
  ROWS_REASSIGNED(Kind.ERROR, "'%s' cannot be given another array while '%s', a row of it, is "
      + "in scope; end the row's block first, or index the row through '%s' instead"),
  ARRAY_ALIAS_WRITTEN(Kind.ERROR, "'%s' shares its array with '%s' from here on, and the method "
      + "assigns elements of '%s' while they share it; give the array to be written a new array "
      + "of its own first (new double[n] filled by a loop), then write that"),
  FIELD_WRITE(Kind.ERROR, "@Differentiable methods cannot write fields ('%s'); use a local "
      + "variable and return the result"),
  ASSIGNMENT_TARGET(Kind.ERROR, "only local variables and parameters can be assigned in "
      + "@Differentiable methods"),
  EFFECT_IN_BRANCH(Kind.ERROR, "an assignment, ++, -- or switch expression in %s runs only "
      + "sometimes, which @Differentiable methods do not support; compute it in an if statement "
      + "before this one"),

  // ---------------------------------------------------------------- expressions

  // Unreached: javac rejects -, +, ~ on non-numbers; boxed ones fail first (FieldType, LocalType).
  OPERAND_NOT_A_NUMBER(Kind.ERROR, "this operator needs a number"),
  CONDITIONAL_TYPES(Kind.ERROR, "both branches of ?: must have the same type"),
  CONDITIONAL_ARRAY(Kind.ERROR, "?: choosing between double[] or float[] arrays is not "
      + "supported in @Differentiable methods; choose between their elements instead "
      + "(b ? x[i] : y[i]), or use an if statement"),
  CAST(Kind.ERROR, "this cast is not supported; only casts between primitive numeric types are"),
  OBJECT_CREATION(Kind.ERROR, "object creation is not supported in @Differentiable methods, "
      + "which compute with primitive values, arrays and records: use the object in the caller "
      + "and pass the numbers it gives as parameters"),
  ARRAY_OF_OBJECTS(Kind.ERROR, "only arrays of primitives are supported"),
  // Unreached: javac rejects indexing anything but an array.
  INDEX_NOT_AN_ARRAY(Kind.ERROR, "only arrays can be indexed"),
  INDEXED_CALL_NESTED(Kind.ERROR, "the result of an array-valued call cannot be indexed in a "
      + "loop's condition or update; assign it to a local array before the loop or at the start "
      + "of its body, and test that"),
  ARRAY_CALL_ARGUMENT_NESTED(Kind.ERROR, "an array-valued call passed to another call cannot be "
      + "in a loop's condition or update; assign it to a local array before the loop or at the "
      + "start of its body"),
  LAMBDA(Kind.ERROR, "lambdas and method references are not supported in @Differentiable "
      + "methods; call a @Differentiable method directly"),
  STRING_OR_NULL(Kind.ERROR, "strings and null are not supported here: @Differentiable methods "
      + "compute with primitive values and arrays, and take Strings only as parameters (to "
      + "switch over), as arguments of calls and in prints (System.out.println(\"y = \" + y))"),
  INSTANCEOF(Kind.ERROR, "instanceof is not supported in @Differentiable methods"),
  // Unreached from Java 17-25: every expression kind has its case or message; guards new kinds.
  EXPRESSION(Kind.ERROR, "this expression (%s) is not supported in @Differentiable methods"),
  // Unreached: every binary operator javac accepts maps to a BinaryOp (see binaryOp).
  OPERATOR(Kind.ERROR, "operator %s is not supported"),
  SHIFT_OPERANDS(Kind.ERROR, "shifts need integral operands"),
  // Unreached: javac needs booleans for && and ||; a Boolean fails first (FieldType, LocalType).
  BOOLEAN_OPERANDS(Kind.ERROR, "operator %s needs boolean operands"),
  // Unreached: javac needs integral or boolean operands; boxed ones fail first (FieldType...).
  BITWISE_OPERANDS(Kind.ERROR, "operator %s needs integral or boolean operands"),
  EQUALITY_OPERANDS(Kind.ERROR, "operator %s is supported only on primitive values and enum "
      + "constants"),
  // Unreached: javac needs numbers for < <= > >=; boxed ones fail first (FieldType, LocalType).
  COMPARISON_OPERANDS(Kind.ERROR, "operator %s needs numbers"),
  ARITHMETIC_OPERANDS(Kind.ERROR, "operator %s is supported only on primitive numbers; strings "
      + "and objects cannot be used in @Differentiable methods"),

  // ---------------------------------------------------------------- names and fields

  // No test reaches it: javac resolves every name; a local of another type stops at LocalType.
  UNKNOWN_NAME(Kind.ERROR, "'%s' cannot be used in a @Differentiable method; only parameters, "
      + "locals and static final constants can"),
  UNKNOWN_FIELD(Kind.ERROR, "cannot find field %s in %s"),
  MEMBER(Kind.ERROR, "'%s' cannot be used in a @Differentiable method; only array lengths and "
      + "static final constants can"),
  FIELD_TYPE(Kind.ERROR, "field '%s' has type %s; @Differentiable methods can read only "
      + "primitive constants"),
  ARRAY_FIELD(Kind.ERROR, "the array constant '%s' can be read in @Differentiable methods only "
      + "by element (%s[i]), .length or a for-each loop; to use it otherwise, pass it as a "
      + "parameter (with @NoDerivative if it is not to be differentiated)"),
  MUTABLE_FIELD(Kind.ERROR, "@Differentiable methods can read only static final fields; '%s' "
      + "can change, so pass it as a parameter"),
  PRIVATE_FIELD(Kind.ERROR, "the generated gradient class cannot read private field '%s'; make "
      + "it package-private"),

  // ---------------------------------------------------------------- calls

  RECORD_VALUE(Kind.ERROR, "the record '%s' can be used in @Differentiable methods only through "
      + "its accessors (%s.w()) and as an argument of @Differentiable methods that take it"),
  RECORD_COMPONENT_WRITE(Kind.ERROR, "the arrays of a record parameter cannot be written in a "
      + "@Differentiable method; copy the component first (double[] w = %s.clone()) and write "
      + "the copy"),
  RECORD_CREATION(Kind.ERROR, "a record %s created here cannot be used: a record created in a "
      + "@Differentiable method must initialise a local (P q = new P(...)), be an argument of a "
      + "@Differentiable method that takes it, or be returned"),
  RECORD_CONSTRUCTOR(Kind.ERROR, "records created in @Differentiable methods must use the "
      + "canonical constructor of %s, one argument per component"),
  RECORD_CUSTOM_CONSTRUCTOR(Kind.ERROR, "record %s declares its own canonical constructor, which "
      + "a record created in a @Differentiable method would bypass; create %s outside and pass "
      + "it as a parameter, or remove the constructor"),
  RECORD_ARRAY_ARGUMENT(Kind.ERROR, "component %s of a record created in a @Differentiable method "
      + "must be an array variable; declare %s %s = ... first and pass the variable"),
  RECORD_LOCAL_VARIABLE(Kind.ERROR, "local variable '%s' has record type %s and must be "
      + "initialised with a record parameter, this, a component that is a record, another "
      + "record local or new %s(...)"),
  RECORD_RECEIVER(Kind.ERROR, "cannot call %s here: its receiver must be this, a record "
      + "parameter or a component of one that is a record"),
  RECORD_ARGUMENT(Kind.ERROR, "cannot pass %s to parameter %s of %s: a record argument must be a "
      + "record parameter, this, or a component of one that is a record"),
  INSTANCE_CALL(Kind.ERROR, "calls of instance methods (%s) are not supported in "
      + "@Differentiable methods; call a static method instead, or compute the value in the "
      + "caller and pass it as a parameter (@NoDerivative if it needs no derivative)"),
  /** {@code %s} is one of the {@code METHOD_}/{@code CALL_} parts below. */
  UNRESOLVED_CALL(Kind.ERROR, "%s; @Differentiable methods can call Math functions and other "
      + "@Differentiable methods with primitive arguments"),
  METHOD_NOT_FOUND(Kind.PART, "cannot find method %s"),
  METHOD_NOT_APPLICABLE(Kind.PART, "no method %s.%s accepts arguments %s"),
  CALL_AMBIGUOUS(Kind.PART, "the call of %s is ambiguous"),
  CLONE(Kind.ERROR, "clone() and Arrays.copyOf are supported on one-dimensional arrays as the "
      + "initialiser of a local array outside loops (double[] y = x.clone();); elsewhere allocate "
      + "the copy with new (new double[x.length]) and copy the elements in a loop"),
  ARRAY_COPY_CALL(Kind.ERROR, "%s is not supported in @Differentiable methods; allocate the copy "
      + "with new (new double[n]) and copy the elements in a loop"),
  ARRAYS_CALL(Kind.ERROR, "%s is not supported in @Differentiable methods; write the loop it "
      + "stands for"),
  JDK_NO_DERIVATIVE(Kind.ERROR, "call of %s has no known derivative, and JDK methods other than "
      + "Math's cannot be annotated; compute it outside this method and pass the result as a "
      + "parameter, or register a hand-written derivative with @DerivativeOf"),
  CALL_RESULT_TYPE(Kind.ERROR, "calls returning %s are not supported in @Differentiable methods"),
  PRIVATE_METHOD(Kind.ERROR, "the generated gradient class cannot call private method %s; make "
      + "it package-private"),
  NO_MATH_RULE(Kind.ERROR, "%s has no derivative rule; the differentiable Math functions are "
      + "%s. For a value that needs no derivative (Math.random(), Math.ulp(x), "
      + "Double.parseDouble(s)), compute it in the caller and pass it as a @NoDerivative "
      + "parameter"),
  LIBRARY_RESULT_TYPE(Kind.ERROR, "%s returns %s, which cannot be used in a @Differentiable "
      + "method"),
  NO_KNOWN_DERIVATIVE(Kind.ERROR, "call of %s has no known derivative; annotate %s with "
      + "@Differentiable (it must be static and pure), register a hand-written derivative with "
      + "@DerivativeOf, or compute it outside this method and pass the result as a parameter"),
  GRADIENT_CLASS_MISSING(Kind.ERROR, "%s is @Differentiable but its generated gradient class %s "
      + "is not on the classpath; compile %s with the Adjoint annotation processor"),
  GRADIENT_RECORD_MISSING(Kind.ERROR, "%s has no record %s for %s; recompile %s with this "
      + "version of the Adjoint processor"),
  GRADIENT_RECORD_MISMATCH(Kind.ERROR, "%s.%s does not match %s; recompile %s with this version "
      + "of the Adjoint processor"),
  // Not reached by any test: no argument has such a type, so UnresolvedCall reports the call first.
  CALLEE_PARAMETER_TYPE(Kind.ERROR, "cannot call %s: parameter %s has unsupported type %s"),
  DROPPED_DERIVATIVE(Kind.ERROR, "this argument depends on a differentiable parameter, but "
      + "parameter '%s' of %s is @NoDerivative: its derivative would be dropped, giving a wrong "
      + "gradient. To keep it, remove @NoDerivative from '%s' in %s; to drop it on purpose, pass "
      + "StopGradient.stopGradient(%s)"),
  DROPPED_DERIVATIVE_IN_PULLBACK(Kind.ERROR, "this argument depends on a differentiable "
      + "parameter, but parameter '%s' of %s is @NoDerivative in its hand-written pullback %s: "
      + "its derivative would be dropped, giving a wrong gradient. To keep it, give the pullback "
      + "a derivative for '%s'; to drop it on purpose, pass StopGradient.stopGradient(%s)"),
  STOPPED_ARRAY(Kind.ERROR, "StopGradient.stopGradient of an array is supported only as the "
      + "argument of a @NoDerivative array parameter; to read an element without its derivative, "
      + "wrap the element: StopGradient.stopGradient(a[i])"),
  STOPPED_ARRAY_TO_DIFFERENTIABLE(Kind.ERROR, "StopGradient.stopGradient of an array is "
      + "supported only as the argument of a @NoDerivative array parameter, and '%s' of %s is "
      + "differentiable; pass the array itself"),
  CALLEE_WRITES_PARAMETER(Kind.ERROR, "%s writes the elements of its parameter '%s' in place, "
      + "so this call would also change the array passed for it, a side effect the gradient of "
      + "this method does not follow; make %s copy %s into a local array and write that "
      + "instead, or make it a void method whose one out-parameter is %s"),
  VOID_CALLEE_PRECOMPILED(Kind.ERROR, "void @Differentiable method %s is compiled elsewhere, "
      + "and its gradient class does not say which parameter is its out-parameter (it was "
      + "generated by an older Adjoint): compile it again with this Adjoint, or make %s return "
      + "its result array"),

  // ---------------------------------------------------------------- @DerivativeOf

  DERIVATIVE_OF_NO_TARGET(Kind.ERROR, "@DerivativeOf(\"%s\") names no static method %s in %s"),
  DERIVATIVE_OF_DUPLICATE(Kind.ERROR, "another @DerivativeOf method is already registered for "
      + "%s"),
  /** Alone, or as the first {@code %s} of the {@code PULLBACK_} messages below. */
  // Alone, unreached: PullbackReturnScalar reports a non-floating scalar pullback result first.
  PULLBACK_SIGNATURE(Kind.ERROR, "the pullback of %s must be: static %s"),
  PULLBACK_NOT_STATIC(Kind.ERROR, "@DerivativeOf method must be static; %s"),
  PULLBACK_OF_NON_FLOATING(Kind.ERROR, "%s returns %s, which has no derivative"),
  PULLBACK_PARAMETER_COUNT(Kind.ERROR, "%s (it has %s parameters)"),
  PULLBACK_PARAMETER_TYPE(Kind.ERROR, "%s; parameter %s must be %s, not %s"),
  PULLBACK_SEVERAL_SCALARS(Kind.ERROR, "custom derivatives of functions with several "
      + "differentiable scalar parameters are not supported; mark all but one @NoDerivative in "
      + "the pullback, or write the function as @Differentiable"),
  PULLBACK_SEED_TYPE(Kind.ERROR, "%s; the seed (parameter %s) must be %s, not %s"),
  PULLBACK_BUFFER_COUNT(Kind.ERROR, "%s (one buffer per differentiable array parameter)"),
  PULLBACK_BUFFER_TYPE(Kind.ERROR, "%s; buffer %s must be %s, not %s"),
  PULLBACK_RETURN_VOID(Kind.ERROR, "%s; it must return void, not %s"),
  PULLBACK_RETURN_SCALAR(Kind.ERROR, "%s; it must return %s (seed times the derivative with "
      + "respect to the scalar parameter), not %s"),

  // ---------------------------------------------------------------- forward mode and Hessians

  HESSIAN_ARRAY_RESULT(Kind.ERROR, "hessian = true needs a scalar result (double or float), or "
      + "an array one (whose directional forms callers' Hessian-vector products chain through); "
      + "%s returns %s: differentiate a scalar function of it instead"),
  FORWARD_CUSTOM_DERIVATIVE(Kind.ERROR, "%s has a hand-written pullback (@DerivativeOf) but no "
      + "hand-written JVP, and forward mode (forward = true, hessian = true) cannot get a tangent "
      + "from a pullback: register one with @JvpOf(\"%s\") (static %s), write %s as a "
      + "@Differentiable method, or drop forward/hessian here"),
  FORWARD_JVP_DROPS(Kind.ERROR, "this argument carries a tangent, but parameter '%s' of %s is "
      + "@NoDerivative in its hand-written JVP %s: its tangent would be dropped, giving a wrong "
      + "derivative. Give the JVP a tangent for '%s', or pass StopGradient.stopGradient(...)"),
  HESSIAN_CUSTOM_JVP(Kind.ERROR, "hessian = true differentiates the hand-written JVP %s of %s "
      + "once more, in reverse mode, and it is neither @Differentiable nor has a pullback of its "
      + "own: annotate %s with @Differentiable (it must be static and pure)%s, or drop hessian "
      + "here"),
  HESSIAN_RUNTIME_OP(Kind.ERROR, "hessian = true differentiates the hand-written JVP %s of "
      + "Adjoint's runtime op %s once more, in reverse mode, and this op's JVP has no pullback "
      + "(@DerivativeOf(\"%s\")): for a Hessian-vector product write the operation in plain "
      + "loops in a @Differentiable method of your own (%s), or drop hessian here"),
  JVP_OF_NO_TARGET(Kind.ERROR, "@JvpOf(\"%s\") names no static method %s in %s"),
  JVP_OF_DUPLICATE(Kind.ERROR, "another @JvpOf method is already registered for %s"),
  JVP_SIGNATURE(Kind.ERROR, "the JVP of %s must be: static %s; %s"),
  HESSIAN_CALL(Kind.ERROR, "hessian = true chains a call of %s through its directional "
      + "derivative %s, which it does not have: %s"),
  FORWARD_CALL_POSITION(Kind.ERROR, "forward mode evaluates a call of %s once, before the "
      + "statement, so it cannot be in the update of a for loop; move the update into the "
      + "loop's body"),
  FORWARD_NO_JVP_FORM(Kind.ERROR, "%s has no forward-mode form %s for %s; compile %s with "
      + "@Differentiable(forward = true) on %s"),
  // Unreached: forward mode has a rule for every IR node the front end makes; guards new ones.
  FORWARD_UNSUPPORTED(Kind.ERROR, "forward mode cannot differentiate this yet: %s"),

  // ---------------------------------------------------------------- limits and failures

  GRADIENT_TOO_LARGE(Kind.ERROR, "The gradient of this method is too large for the JVM's limits "
      + "on a class (64 KB of bytecode per method, 65,535 constants) even split into several "
      + "methods: %s. Split the function into smaller @Differentiable functions and call them "
      + "from it."),
  STATEMENT_TOO_LARGE_AT_LINE(Kind.PART, "the statement on line %s alone would take up to %s "
      + "bytes of bytecode"),
  STATEMENT_TOO_LARGE(Kind.PART, "a statement of its reverse sweep alone would take up to %s "
      + "bytes of bytecode"),
  PARTS_NEED_TOO_MANY_SLOTS(Kind.PART, "its parts would need more than %s parameter slots"),
  PARTS_NEED_TOO_MANY_CONSTANTS(Kind.PART, "its parts would need about %s constants, and a class "
      + "may have 65535"),
  CALLER_OF_PARTS_TOO_LARGE(Kind.PART, "the method calling its parts would still take up to %s "
      + "bytes of bytecode"),
  PART_TOO_LARGE(Kind.PART, "one of its parts would still take up to %s bytes of bytecode"),
  // No test: needs an expression overflowing DeepStack's 512 MB stack; javac's overflows first.
  NESTED_TOO_DEEPLY(Kind.ERROR, "this method's expressions nest too deeply for Adjoint; split the "
      + "longest expression into several statements with locals"),
  INTERNAL_ERROR(Kind.ERROR, "Adjoint failed to differentiate this method because of an internal "
      + "error (%s%s). This is a bug in Adjoint: please report it with this method. Until it is "
      + "fixed, simplify the method or remove @Differentiable."),
  // No test: reached only under another compiler (such as ecj); compile-testing runs javac.
  NEEDS_JAVAC(Kind.ERROR, "Adjoint needs the javac compiler (it reads method bodies through "
      + "com.sun.source)"),
  SPLIT_OPTION(Kind.ERROR, "-A%s takes a number of bytes, not '%s'"),
  WRITE_FAILED(Kind.ERROR, "Adjoint could not write %s: %s");

  /** Whether a message stops generation, only warns, or is a piece of another message. */
  public enum Kind {
    ERROR, WARNING, PART
  }

  private final Kind kind;
  private final String template;

  Message(Kind kind, String template) {
    this.kind = kind;
    this.template = template;
  }

  public Kind kind() {
    return kind;
  }

  /** The {@link String#format} template, for tests. */
  String template() {
    return template;
  }

  /** The stable id, e.g. {@code AdjointLabelledBreak} for {@link #LABELLED_BREAK}. */
  public String id() {
    StringBuilder id = new StringBuilder("Adjoint");
    for (String word : name().split("_")) {
      id.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return id.toString();
  }

  /** The text with {@code args} filled in, without the id (for a {@link Kind#PART}). */
  public String text(Object... args) {
    return String.format(Locale.ROOT, template, args);
  }

  /** The message as shown to the user: {@code [id] text}, or only the text of a part. */
  public String format(Object... args) {
    return kind == Kind.PART ? text(args) : "[" + id() + "] " + text(args);
  }
}
