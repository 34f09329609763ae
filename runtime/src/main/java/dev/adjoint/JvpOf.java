package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers the annotated method as the hand-written forward-mode derivative (the <em>JVP</em>,
 * as JAX's {@code custom_jvp}) of a static function: forward-mode code ({@code
 * @Differentiable(forward = true)}) then calls it for the tangent of the function's result
 * instead of failing. It is the forward counterpart of {@link DerivativeOf}, which gives reverse
 * mode the function's pullback; a function used in both modes registers both.
 *
 * <p>For a function {@code static R f(T1 a1, ..., Tn an)} the JVP is a static method
 *
 * <pre>{@code
 * @JvpOf("f")                                          // or @JvpOf(value = "f", in = Owner.class)
 * static R anyName(T1 a1, ..., Tn an, R value, D1 t1, ..., Dk tk)
 * }</pre>
 *
 * <ul>
 *   <li>{@code a1..an}: the function's arguments, with exactly its parameter types. A
 *       {@code double}/{@code float} scalar or array among them is differentiable unless the
 *       JVP marks its copy {@link NoDerivative}.
 *   <li>{@code value}: the function's result at these arguments, already computed by the caller
 *       (reuse it: the tangent of {@code tanh} is {@code t * (1 - value * value)}); it must not
 *       be modified.
 *   <li>{@code t1..tk}: one tangent per differentiable argument, scalar or array, in order, of
 *       that argument's type. An array tangent is {@code null} when the argument carries no
 *       tangent (constant data): the JVP must then treat it as zero, which also saves the work;
 *       a scalar tangent is then {@code 0}.
 *   <li>the result: the tangent of the function's result, of its type: the Jacobian-vector
 *       product {@code J·t}. For an array result, a new array (the caller keeps it).
 * </ul>
 *
 * <p>The processor checks this signature at compile time and reports a precise error when it does
 * not match. It finds JVPs declared in the same compilation, and JVPs declared in the function's
 * own class (also when that class comes from a jar, like Adjoint's own ops). In a Hessian-vector
 * product ({@code hessian = true}) the JVP is differentiated once more in reverse mode: that works
 * when the JVP is itself {@code @Differentiable} (then its value parameter cannot be named
 * {@code value}, a name the gradient record takes), or when the JVP has a pullback of its own
 * ({@link DerivativeOf} naming the JVP: its value parameter {@link NoDerivative}, its part
 * added into the arguments' buffers, as callers pass the function's value; Adjoint's ops
 * register theirs so), and is a compile error naming it otherwise.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JvpOf {
  /** The name of the function this method differentiates. */
  String value();

  /** The class declaring the function; by default the class of the annotated method. */
  Class<?> in() default void.class;
}
