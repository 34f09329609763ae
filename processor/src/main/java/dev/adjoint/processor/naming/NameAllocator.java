package dev.adjoint.processor.naming;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Hands out Java identifiers that are unique within one generated method. */
public final class NameAllocator {
  private final Set<String> used = new HashSet<>();
  /**
   * For each preferred name, the first number not yet tried: names are never freed, so the
   * numbers below it are all taken, and a method with thousands of {@code xBefore}s does not try
   * them all again for each new one.
   */
  private final Map<String, Integer> nextNumber = new HashMap<>();

  /** Marks {@code name} as taken without allocating it. */
  public void reserve(String name) {
    used.add(name);
  }

  /** Returns {@code preferred} if free, else {@code preferred2}, {@code preferred3}, .... */
  public String allocate(String preferred) {
    if (used.add(preferred)) {
      return preferred;
    }
    for (int i = nextNumber.getOrDefault(preferred, 2); ; i++) {
      String candidate = preferred + i;
      if (used.add(candidate)) {
        nextNumber.put(preferred, i + 1);
        return candidate;
      }
    }
  }
}
