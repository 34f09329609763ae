package dev.adjoint.processor.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests of generated source: the exact text users read under
 * {@code target/generated-sources/annotations}. Run with {@code -Dadjoint.updateGolden=true} to
 * rewrite the expected files after an intended change, then review the diff.
 */
class GoldenSourceTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Neuron, NeuronGrad",
    "Branches, BranchesGrad",
    "Calls, CallsGrad",
    "Naming, NamingGrad",
    "Naming, Naming_InnerGrad",
    "Loops, LoopsGrad",
    "EarlyExits, EarlyExitsGrad",
    "LocalArrays, LocalArraysGrad",
    "LoopIdioms, LoopIdiomsGrad",
    "Recompute, RecomputeGrad",
    "Interchange, InterchangeGrad",
    "TailCalls, TailCallsGrad",
    "ExpressionAssignments, ExpressionAssignmentsGrad",
    "Switches, SwitchesGrad",
    "Statements, StatementsGrad",
    "DeadValues, DeadValuesGrad",
    "Forward, ForwardGrad",
    "Inlining, InliningGrad",
    "InPlaceCalls, InPlaceCallsGrad",
    "LayerLoops, LayerLoopsGrad",
    "Greeks, GreeksGrad",
    "ForwardCalls, ForwardCallsGrad",
    "Records, RecordsGrad",
    "RecordModel, RecordModelGrad",
    "Prints, PrintsGrad",
    "RecordForward, RecordForwardGrad",
    "RecordForward, RecordForward_ModelGrad",
    "RecordLayers, RecordLayersGrad",
    "OpsHessian, OpsHessianGrad",
  })
  void generatedSourceMatchesGolden(String input, String generated) throws IOException {
    Compiled c = Compiled.of(JavaFileObjects.forSourceString("golden." + input,
        resource(input + ".java")));
    String actual = c.generatedSource("golden." + generated);
    if (Boolean.getBoolean("adjoint.updateGolden")) {
      Files.writeString(Path.of("src/test/resources/golden", generated + ".java.txt"), actual);
    }
    assertEquals(resource(generated + ".java.txt"), actual);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenSourceTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden file " + name
            + " (run with -Dadjoint.updateGolden=true to create it)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
