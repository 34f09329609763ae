/**
 * Source-to-source rewrites of a normalised function before it is differentiated, so that both
 * sweeps of its gradient run fast: {@link dev.adjoint.processor.transform.LoopInterchange} turns
 * dot-product loops that read an array across its rows into loops that walk memory
 * contiguously; {@link dev.adjoint.processor.transform.SavedCalls} binds each transcendental call of
 * a differentiated statement to a local, so neither sweep evaluates it twice;
 * {@link dev.adjoint.processor.transform.UnrollAndJam} runs the dot products of 4 iterations side
 * by side in the JVP. Each keeps the computed values bit for bit; it runs only with the analyses
 * on.
 */
package dev.adjoint.processor.transform;
