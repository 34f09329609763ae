/**
 * The runtime's Javadoc examples, as code that compiles and runs: each block of a {@code <pre>}
 * example in {@code runtime/src/main/java} appears here, line for line, between {@code // snippet}
 * markers ({@code JavadocSnippetsTest} checks both), on two small {@code @Differentiable} models.
 */
package dev.adjoint.example.snippets;
