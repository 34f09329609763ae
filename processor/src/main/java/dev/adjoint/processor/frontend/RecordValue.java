package dev.adjoint.processor.frontend;

import dev.adjoint.processor.ir.RecordShape;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * A record the front end has replaced by its components: for each component of {@code shape}, in
 * order, the variable holding it ({@link Var}) or the nested record ({@link RecordValue}).
 */
record RecordValue(RecordShape shape, List<Object> parts) {

  /** The part of component {@code name}, or null when the record has no such component. */
  Object part(String name) {
    for (int i = 0; i < shape.components().size(); i++) {
      if (shape.components().get(i).name().equals(name)) {
        return parts.get(i);
      }
    }
    return null;
  }

  /** The leaf variables, depth first in component order (as {@link RecordShape#leaves()}). */
  List<Var> leaves() {
    List<Var> out = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof RecordValue r) {
        out.addAll(r.leaves());
      } else {
        out.add((Var) p);
      }
    }
    return out;
  }
}
