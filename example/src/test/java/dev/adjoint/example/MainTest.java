package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The self-checking main program. */
class MainTest {
  @Test
  void everyExampleAgreesWithItsSeed() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int disagreements;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      disagreements = Main.run(out);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, disagreements, text);
    assertTrue(text.contains("== 1. Single neuron"), text);
    assertTrue(text.contains("== 2. Apple and orange price graph"), text);
    assertTrue(text.contains("== 3. Chain rule"), text);
    assertTrue(text.contains("== 4. 2-2-2 sigmoid network"), text);
    assertTrue(text.contains("== 5. XOR with a 2-10-10-10-1 sigmoid MLP"), text);
    assertTrue(text.contains("All 121 rows agree with the seeds."), text);
    assertTrue(!text.contains("MISMATCH"), text);
  }

  @Test
  void examplesRunInSeedOrder() {
    var titles = Main.reports().stream().map(SeedTable::title).toList();
    assertEquals(5, titles.size());
    for (int i = 0; i < titles.size(); i++) {
      assertTrue(titles.get(i).startsWith((i + 1) + ". "), titles.get(i));
    }
  }
}
