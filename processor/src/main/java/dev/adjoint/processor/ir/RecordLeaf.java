package dev.adjoint.processor.ir;

import java.util.List;

/**
 * Where a parameter of the IR comes from when the method's parameter was a record: the record
 * parameter (or the receiver {@code self}) named {@code root}, of shape {@code shape}, and the
 * component names {@code path} leading from it to this leaf.
 *
 * @param root the name of the record parameter as the user wrote it ({@code self} for the
 *     receiver of an instance method)
 * @param shape the shape of the whole record parameter
 * @param path the components from the record to the leaf, at least one
 * @param receiver true for the leaves of an instance method's receiver
 */
public record RecordLeaf(String root, RecordShape shape, List<String> path, boolean receiver) {}
