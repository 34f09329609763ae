package dev.adjoint.processor.ir;

import java.util.List;

/**
 * The result of a function that returns a record: its shape and the variables holding its leaves
 * when the function returns (in {@link RecordShape#leaves()} order). The function's IR returns
 * the seed-weighted sum of the floating leaves, whose gradient is the vector-Jacobian product;
 * the generated method returns the record rebuilt from these variables.
 *
 * @param shape the returned record's shape
 * @param leaves the variables holding its leaves at the return
 */
public record RecordResult(RecordShape shape, List<Var> leaves) {}
