package dev.adjoint.processor.naming;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Hands out Java identifiers that are unique within one generated method. */
public final class NameAllocator {
  private final Set<String> used = new HashSet<>();
  /**
   * Per preferred name, the suffix to try next. Names are never released, so every suffix below
   * it is still taken: resuming there keeps allocation linear in a method with thousands of
   * {@code dT}, {@code tBefore}, ... (scanning from 2 each time was quadratic).
   */
  private final Map<String, Integer> nextSuffix = new HashMap<>();

  /** Marks {@code name} as taken without allocating it. */
  public void reserve(String name) {
    used.add(name);
  }

  /** Returns {@code preferred} if free, else {@code preferred2}, {@code preferred3}, .... */
  public String allocate(String preferred) {
    if (used.add(preferred)) {
      return preferred;
    }
    for (int i = nextSuffix.getOrDefault(preferred, 2); ; i++) {
      String candidate = preferred + i;
      if (used.add(candidate)) {
        nextSuffix.put(preferred, i + 1);
        return candidate;
      }
    }
  }
}
