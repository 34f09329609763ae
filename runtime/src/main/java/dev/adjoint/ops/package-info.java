/**
 * Fast differentiable operations over row-major {@code float[]} arrays, with hand-written
 * pullbacks registered through {@link dev.adjoint.DerivativeOf}: {@link dev.adjoint.ops.Dense}
 * (fully connected layer), {@link dev.adjoint.ops.Activations} and {@link dev.adjoint.ops.Losses}.
 *
 * <p>Conventions shared by every op:
 *
 * <ul>
 *   <li>Shapes are passed explicitly; a matrix of {@code rows x cols} is a {@code float[]} of
 *       length {@code rows * cols} holding element {@code (r, c)} at {@code r * cols + c}. Array
 *       lengths are checked against the shapes and an {@link IllegalArgumentException} names the
 *       first mismatch.
 *   <li>Ops never modify their arguments and return a new array (or a {@code float} for losses).
 *   <li>Pullbacks follow the {@link dev.adjoint.DerivativeOf} convention: the op's arguments, the
 *       seed (the adjoint of the result), then one buffer per differentiable array argument, into
 *       which they <em>add</em> the seed-weighted derivative. For an element holding {@code v}
 *       before the call and receiving derivative {@code g}, the element afterwards is exactly
 *       {@code v + g}, where {@code g} is what the same call adds into a zero-filled buffer. A
 *       {@code null} buffer is skipped (its derivative is not computed).
 *   <li>Each op also has a JVP ({@link dev.adjoint.JvpOf}, for forward mode), and each JVP a
 *       pullback of its own ({@code @DerivativeOf("fJvp")}, for Hessian-vector products): it adds
 *       into the tangents' buffers exactly what the op's pullback adds, and into the arguments'
 *       buffers the directional derivative of the op's pullback along the tangents.
 *   <li>Results are deterministic: the same inputs give bit-identical outputs on every run and
 *       for every {@linkplain dev.adjoint.ops.Parallelism thread count}, because every output
 *       element is computed by one thread in one fixed order.
 * </ul>
 */
package dev.adjoint.ops;
