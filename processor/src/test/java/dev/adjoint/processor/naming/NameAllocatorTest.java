package dev.adjoint.processor.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The numbering the generated code's names depend on: the smallest free suffix from 2 on. The
 * allocator resumes where it stopped (linear time); these pin that it still skips reserved
 * names and names another prefix produced.
 */
class NameAllocatorTest {
  @Test
  void smallestFreeSuffixAroundReservedNames() {
    NameAllocator names = new NameAllocator();
    names.reserve("t");
    names.reserve("t3");
    assertEquals("t2", names.allocate("t"));
    assertEquals("t4", names.allocate("t"));
    names.reserve("t6");
    assertEquals("t5", names.allocate("t"));
    assertEquals("t7", names.allocate("t"));
  }

  @Test
  void namesOfOtherPrefixesAreSkipped() {
    NameAllocator names = new NameAllocator();
    assertEquals("a1", names.allocate("a1"));
    assertEquals("a12", names.allocate("a1")); // a1 is taken: a1 + 2
    names.reserve("a");
    for (int i = 2; i <= 11; i++) {
      assertEquals("a" + i, names.allocate("a"));
    }
    assertEquals("a13", names.allocate("a")); // a12 came from the prefix a1
  }

  @Test
  void aFreeNameIsReturnedAsItIs() {
    NameAllocator names = new NameAllocator();
    assertEquals("dX", names.allocate("dX"));
    assertEquals("dX2", names.allocate("dX"));
    assertEquals("dY", names.allocate("dY"));
  }
}
