package dev.adjoint.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.Source;
import java.io.IOException;

/** Reads the original text of statements, for the comments in generated code. */
final class SourceText {
  private static final int MAX_LENGTH = 100;

  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private final CharSequence text;

  SourceText(Trees trees, CompilationUnitTree unit) {
    this.unit = unit;
    this.positions = trees.getSourcePositions();
    CharSequence content;
    try {
      content = unit.getSourceFile().getCharContent(true);
    } catch (IOException | RuntimeException e) {
      content = null; // comments then show only line numbers; nothing else depends on the text
    }
    this.text = content;
  }

  SourcePositions positions() {
    return positions;
  }

  /** The last tree of a statement's head: loops and ifs are quoted without their bodies. */
  private static Tree head(Tree tree) {
    if (tree instanceof IfTree t) {
      return t.getCondition();
    }
    if (tree instanceof ForLoopTree t) {
      return !t.getUpdate().isEmpty() ? t.getUpdate().get(t.getUpdate().size() - 1)
          : t.getCondition() != null ? t.getCondition() : tree;
    }
    if (tree instanceof WhileLoopTree t) {
      return t.getCondition();
    }
    if (tree instanceof EnhancedForLoopTree t) {
      return t.getExpression();
    }
    if (tree instanceof com.sun.source.tree.SwitchTree t) {
      return t.getExpression();
    }
    if (tree instanceof com.sun.source.tree.SwitchExpressionTree t) {
      return t.getExpression();
    }
    return tree;
  }

  /** The line and text of {@code tree}; for an {@code if} or a loop, only its head. */
  Source of(Tree tree) {
    long start = positions.getStartPosition(unit, tree);
    if (start < 0) {
      return Source.NONE;
    }
    long line = unit.getLineMap().getLineNumber(start);
    Tree last = head(tree);
    long end = positions.getEndPosition(unit, last);
    String s = "";
    if (text != null && end > start && end <= text.length()) {
      s = text.subSequence((int) start, (int) end).toString().replaceAll("\\s+", " ").trim();
      if (tree instanceof ForLoopTree || tree instanceof EnhancedForLoopTree) {
        s += ")";
      }
      if (s.length() > MAX_LENGTH) {
        s = s.substring(0, MAX_LENGTH - 4) + " ...";
      }
      s = disarmUnicodeEscapes(s);
    }
    return new Source(line, s);
  }

  /**
   * The text is raw source, and it goes into a {@code //} comment of generated code, where javac
   * still translates unicode escapes: the escape of a line feed would end the comment, and an
   * escape cut by the truncation is illegal. A backslash that would start an escape (one preceded by an
   * even number of backslashes and followed by {@code u}) gets one more backslash before it.
   */
  static String disarmUnicodeEscapes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) != '\\') {
        out.append(s.charAt(i++));
        continue;
      }
      int run = 0;
      while (i < s.length() && s.charAt(i) == '\\') {
        run++;
        i++;
      }
      if (run % 2 == 1 && i < s.length() && s.charAt(i) == 'u') {
        out.append('\\');
      }
      out.append("\\".repeat(run));
    }
    return out.toString();
  }
}
