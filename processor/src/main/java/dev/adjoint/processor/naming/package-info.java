/**
 * The names of generated code, part of the user contract ({@code FooGrad}, record and
 * accumulator names, adjoint names such as {@code dW}) in
 * {@link dev.adjoint.processor.naming.GradNames}, and unique local names within one generated
 * method in {@link dev.adjoint.processor.naming.NameAllocator}.
 */
package dev.adjoint.processor.naming;
