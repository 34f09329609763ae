package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a pure {@code static} method whose reverse-mode derivative Adjoint generates at compile
 * time.
 *
 * <p>For a method {@code f} of class {@code p.Foo}, the annotation processor generates class
 * {@code p.FooGrad} with a static method {@code FooGrad.f} taking the same parameters and
 * returning a record {@code FooGrad.F} whose first component {@code value} is {@code f}'s value and
 * whose other components, one per differentiable parameter and named like it, hold the partial
 * derivatives of {@code f} with respect to that parameter.
 *
 * <p>The method must be {@code static}, not generic, and return {@code double} or {@code float}.
 * Parameters of type {@code double} or {@code float} are differentiated unless annotated
 * {@link NoDerivative}; parameters of integral or boolean type never are. The body may use only
 * the subset of Java documented in the project README; anything else is a compile error on the
 * offending expression.
 *
 * <p>Two optional elements ask for more forms, generated beside the gradient:
 *
 * <ul>
 *   <li>{@code forward = true}: forward mode, {@code FooGrad.fJvp(args..., t1, t2, ...)} with one
 *       tangent per differentiable parameter (same type, declaration order), returning the record
 *       {@code FJvp(value, tangent)}: the value and the Jacobian-vector product {@code J·t}.
 *   <li>{@code hessian = true} (scalar results): {@code FooGrad.fHvp(args..., v1, v2, ...)} with one
 *       direction per differentiable parameter, returning the record {@code FHvp(value, ...)}
 *       with one component per differentiable parameter, named like it, holding the
 *       Hessian-vector product {@code H·v}. Such a method, and every {@code @Differentiable}
 *       method it calls, also gets its directional derivative
 *       {@code FooGrad.DirectionalDerivatives.fDirectional(args..., t1, ...)} and that
 *       derivative's gradient {@code FooGrad.fDirectional(args..., t1, ...)}, which the
 *       Hessian-vector products of callers chain through. On a method returning an array, or a
 *       {@code void} helper writing an out-parameter, {@code hessian = true} generates only
 *       these directional forms (no {@code fHvp}), so that callers compiled against a jar can
 *       chain through it.
 * </ul>
 *
 * <p>Calls of functions with a hand-written derivative need, in forward mode, a hand-written
 * JVP ({@link JvpOf}) beside the pullback ({@link DerivativeOf}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Differentiable {
  /** Also generate the forward-mode form {@code fJvp} (Jacobian-vector products). */
  boolean forward() default false;

  /**
   * Also generate {@code fHvp} (Hessian-vector products) for a scalar result, and the
   * directional forms callers' Hessian-vector products chain through (only those for an array
   * result or an out-parameter; not for a record result).
   */
  boolean hessian() default false;
}
