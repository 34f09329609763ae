package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers the annotated method as the hand-written derivative (the <em>pullback</em>) of a
 * static function, which calls inside {@link Differentiable} code then use instead of deriving
 * one. The function may belong to a class you do not own.
 *
 * <p>For a function {@code static R f(T1 a1, ..., Tn an)} the pullback is a static method
 *
 * <pre>{@code
 * @DerivativeOf("f")                                   // or @DerivativeOf(value = "f", in = Owner.class)
 * static S anyName(T1 a1, ..., Tn an, R seed, D1 d1, ..., Dk dk)
 * }</pre>
 *
 * <ul>
 *   <li>{@code a1..an}: the function's arguments, with exactly its parameter types. A
 *       {@code double}/{@code float} scalar or array among them is differentiable unless the
 *       pullback marks its copy {@link NoDerivative}.
 *   <li>{@code seed}: the adjoint of the result, of the result's type ({@code double} for a
 *       scalar function, {@code float[]} for one returning {@code float[]}, ...).
 *   <li>{@code d1..dk}: one buffer per differentiable <em>array</em> argument, in order, of that
 *       argument's type: the pullback <em>adds</em> the seed-weighted derivatives into it (it
 *       must not overwrite what is there). A buffer is {@code null} when the caller needs no
 *       derivative for that argument (constant data, say): the pullback must then skip it,
 *       which also saves the work.
 *   <li>{@code S}: {@code void} when no scalar argument is differentiable; when exactly one is,
 *       its type, and the pullback returns {@code seed} times the derivative with respect to it.
 *       Functions with several differentiable scalar arguments are not supported.
 * </ul>
 *
 * <p>The processor checks this signature at compile time and reports a precise error when it does
 * not match. It finds pullbacks declared in the same compilation, and pullbacks declared in the
 * function's own class (also when that class comes from a jar, like Adjoint's own ops).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DerivativeOf {
  /** The name of the function this method differentiates. */
  String value();

  /** The class declaring the function; by default the class of the annotated method. */
  Class<?> in() default void.class;
}
