package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Excludes a floating-point parameter of a {@link Differentiable} method from differentiation: no
 * partial derivative is computed for it and the generated record has no component for it. Use it
 * for data such as targets and inputs that are never trained.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface NoDerivative {}
