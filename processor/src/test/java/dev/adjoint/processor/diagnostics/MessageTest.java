package dev.adjoint.processor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The message catalogue: ids are unique and printed, templates take only {@code %s}. */
class MessageTest {
  @Test
  void idsAreDistinctAndPrintedInFrontOfErrorsAndWarnings() {
    Set<String> ids = new HashSet<>();
    for (Message m : Message.values()) {
      assertTrue(m.id().matches("Adjoint[A-Z][A-Za-z]*"), m.id());
      assertTrue(ids.add(m.id()), "duplicate id " + m.id());
      // Any conversion but %s would misread an argument (a '%' in a name, a number as text).
      String others = m.template().replace("%s", "");
      assertTrue(!others.contains("%"), m + ": " + m.template());
      int arguments = (m.template().length() - others.length()) / 2;
      Object[] args = new Object[arguments];
      java.util.Arrays.fill(args, "ARG");
      String shown = m.format(args);
      assertEquals(m.kind() != Message.Kind.PART, shown.startsWith("[" + m.id() + "] "), shown);
      assertTrue(!shown.contains("%"), shown);
    }
  }

  @Test
  void idsFollowTheConstantsNames() {
    assertEquals("AdjointSwitchStatement", Message.SWITCH_STATEMENT.id());
    assertEquals("[AdjointUnknownField] cannot find field w in Model",
        Message.UNKNOWN_FIELD.format("w", "Model"));
    assertEquals("cannot find method f", Message.METHOD_NOT_FOUND.format("f"));
  }
}
