/**
 * What users are told, in every stage: the {@link dev.adjoint.processor.diagnostics.Message}
 * catalogue (every message, each with a stable id such as {@code [AdjointLabelledBreak]}),
 * {@link dev.adjoint.processor.diagnostics.Problem} (a message placed on a tree or an element) and
 * the {@link dev.adjoint.processor.diagnostics.Reporter} that prints them as javac errors and
 * warnings at the offending code.
 */
package dev.adjoint.processor.diagnostics;
