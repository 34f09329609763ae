package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generated, not written by hand: on the gradient record {@code FooGrad.F} of a
 * {@link Differentiable} method {@code f}, the parameters whose array elements {@code f} writes in
 * place. The annotation processor puts it there when it generates {@code FooGrad}, and reads it
 * when it compiles a caller of {@code f} against the compiled {@code FooGrad} (a library on the
 * class path, whose source it cannot read): a call that would change the caller's array is a
 * compile error instead of a wrong gradient, and a {@code void} method's out-parameter is known.
 *
 * <p>A record without this annotation belongs to a method that writes none of its parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WritesInPlace {
  /** The positions (from 0) of the parameters whose elements the method writes, in order. */
  int[] value();

  /**
   * The position of a {@code void} method's out-parameter (its result, one of {@link #value}),
   * or -1.
   */
  int out() default -1;
}
