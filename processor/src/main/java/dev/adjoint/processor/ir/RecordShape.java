package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a user record that a {@code @Differentiable} method takes: its class and its
 * components in declaration order, each a primitive (array) leaf or a nested record. The front
 * end replaces a record by its leaves (one IR variable each); the back end rebuilds records from
 * them (see {@link RecordLeaf}).
 *
 * @param packageName the record's package
 * @param className the record's simple names, outermost first, joined by '.'
 * @param components the components in declaration order
 */
public record RecordShape(String packageName, String className, List<Component> components) {

  /**
   * A component: {@code type} for a primitive or primitive-array leaf, else {@code nested}.
   *
   * @param name the component (and accessor) name
   * @param type the leaf's type, or null for a nested record
   * @param nested the nested record's shape, or null for a leaf
   */
  public record Component(String name, Type type, RecordShape nested) {}

  /** A leaf below this record: the component names leading to it, and its type. */
  public record Leaf(List<String> path, Type type) {}

  /** The qualified name of the record class. */
  public String qualifiedName() {
    return packageName.isEmpty() ? className : packageName + "." + className;
  }

  /** The IR type of a value of this record. */
  public Type type() {
    return Type.reference(qualifiedName());
  }

  /** The leaves, depth first in component order: the order the front end flattens them in. */
  public List<Leaf> leaves() {
    List<Leaf> out = new ArrayList<>();
    collect(List.of(), out);
    return out;
  }

  private void collect(List<String> prefix, List<Leaf> out) {
    for (Component c : components) {
      List<String> path = new ArrayList<>(prefix);
      path.add(c.name());
      if (c.nested() != null) {
        c.nested().collect(path, out);
      } else {
        out.add(new Leaf(List.copyOf(path), c.type()));
      }
    }
  }
}
