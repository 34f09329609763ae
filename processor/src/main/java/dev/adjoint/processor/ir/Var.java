package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A variable of a function: a parameter, a user local, or a variable introduced by a transform
 * (adjoints, saved values). Compared by identity: two locals with the same source name in
 * different scopes are different variables with different {@link #name() names}.
 */
public final class Var {
  /** Where a variable comes from. */
  public enum Kind { PARAMETER, LOCAL, GENERATED }

  private final String name;
  private final String sourceName;
  private final Type type;
  private final Kind kind;
  /** Set for an array variable given another array (assigned whole, or declared in a loop). */
  private boolean reassignedArray;

  public Var(String name, String sourceName, Type type, Kind kind) {
    this.name = name;
    this.sourceName = sourceName;
    this.type = type;
    this.kind = kind;
  }

  /** The unique Java name used in generated code. */
  public String name() {
    return name;
  }

  /** The name the user wrote (equal to {@link #name()} unless renamed to stay unique). */
  public String sourceName() {
    return sourceName;
  }

  public Type type() {
    return type;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * True for an array variable that is given another array somewhere (assigned as a whole, or
   * declared in a loop): its length is then a value that changes, which {@code a.length} reads.
   */
  public boolean isReassignedArray() {
    return reassignedArray;
  }

  /** Marks this array variable as given another array somewhere (see the front end). */
  /**
   * Marks the array variables that {@code stmts} give another array: assigned as a whole, or
   * declared in a loop (a new array per iteration); see {@link #isReassignedArray}.
   */
  public static void markReassignedArrays(List<Stmt> stmts) {
    markReassignedArrays(stmts, false);
  }

  private static void markReassignedArrays(List<Stmt> stmts, boolean inLoop) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign a && a.target().type().dims() > 0) {
        a.target().markReassignedArray();
      } else if (s instanceof Stmt.Declare d && d.var().type().dims() > 0 && inLoop) {
        d.var().markReassignedArray();
      }
      for (List<Stmt> b : Stmt.blocks(s, true)) {
        markReassignedArrays(b, inLoop || s instanceof Stmt.Loop);
      }
    }
  }

  public void markReassignedArray() {
    reassignedArray = true;
  }

  @Override
  public String toString() {
    return name;
  }
}
