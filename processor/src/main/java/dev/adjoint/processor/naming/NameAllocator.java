package dev.adjoint.processor.naming;

import java.util.HashSet;
import java.util.Set;

/** Hands out Java identifiers that are unique within one generated method. */
public final class NameAllocator {
  private final Set<String> used = new HashSet<>();

  /** Marks {@code name} as taken without allocating it. */
  public void reserve(String name) {
    used.add(name);
  }

  /** Returns {@code preferred} if free, else {@code preferred2}, {@code preferred3}, .... */
  public String allocate(String preferred) {
    if (used.add(preferred)) {
      return preferred;
    }
    for (int i = 2; ; i++) {
      String candidate = preferred + i;
      if (used.add(candidate)) {
        return candidate;
      }
    }
  }
}
