package dev.adjoint.processor.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads how many bytes of bytecode each method of a class file has (the length of its
 * {@code Code} attribute, which the JVM limits to 65,535), and the size of the constant pool:
 * what tests of very large generated methods measure against the processor's estimates.
 */
public final class ClassFileCode {
  private final int constantPoolCount;
  private final Map<String, Integer> codeLengths;

  private ClassFileCode(int constantPoolCount, Map<String, Integer> codeLengths) {
    this.constantPoolCount = constantPoolCount;
    this.codeLengths = codeLengths;
  }

  /** Parses a class file. */
  public static ClassFileCode of(byte[] classFile) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
      in.readInt(); // magic
      in.readUnsignedShort(); // minor version
      in.readUnsignedShort(); // major version
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4 -> in.readInt(); // integer, float
          case 5, 6 -> { // long, double: two entries
            in.readLong();
            i++;
          }
          case 7, 8, 16, 19, 20 -> in.readUnsignedShort(); // class, string, method type, module
          case 9, 10, 11, 12, 17, 18 -> in.readInt(); // references, name-and-type, dynamic
          case 15 -> { // method handle
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
      in.readUnsignedShort(); // access flags
      in.readUnsignedShort(); // this class
      in.readUnsignedShort(); // super class
      in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
      int fields = in.readUnsignedShort();
      for (int i = 0; i < fields; i++) {
        in.skipNBytes(6);
        skipAttributes(in);
      }
      Map<String, Integer> code = new LinkedHashMap<>();
      int methods = in.readUnsignedShort();
      for (int i = 0; i < methods; i++) {
        in.readUnsignedShort(); // access flags
        String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
        int attributes = in.readUnsignedShort();
        for (int k = 0; k < attributes; k++) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if (attribute.equals("Code")) {
            in.readUnsignedShort(); // max stack
            in.readUnsignedShort(); // max locals
            code.put(name, in.readInt());
            in.skipNBytes(length - 8L);
          } else {
            in.skipNBytes(length);
          }
        }
      }
      return new ClassFileCode(count, code);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a class file", e);
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int k = 0; k < attributes; k++) {
      in.readUnsignedShort();
      in.skipNBytes(in.readInt());
    }
  }

  /** The constant pool count, one more than the entries (the JVM allows at most 65,535). */
  public int constantPoolCount() {
    return constantPoolCount;
  }

  /** Bytes of code of each method with code, keyed by name and descriptor. */
  public Map<String, Integer> codeLengths() {
    return codeLengths;
  }
}
