package dev.adjoint.processor.frontend;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.annotation.processing.Filer;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.StandardLocation;

/**
 * Whether a record compiled earlier (read from a class file, not in this compilation) has the
 * implicit canonical constructor, which only assigns each component: then {@code new P(w, b)}
 * may be differentiated as the record of its arguments. javac tells an implicit constructor
 * from a declared one ({@code Elements.getOrigin} is {@code MANDATED}) only for source; a class
 * file does not record it, so its constructor's bytecode is read: {@code super()}, then one
 * {@code this.c = c} per component in order, then {@code return} (a compact constructor with an
 * empty body compiles to the same). Anything else, or a class file that cannot be read, is
 * taken as a constructor of the record's own, which the front end would bypass.
 */
public final class ClassFileRecords implements Predicate<TypeElement> {
  private final Filer filer;
  private final Elements elements;
  private final Map<String, Boolean> known = new HashMap<>();

  public ClassFileRecords(Filer filer, Elements elements) {
    this.filer = filer;
    this.elements = elements;
  }

  /** True when {@code record}'s class file shows the implicit canonical constructor. */
  @Override
  public boolean test(TypeElement record) {
    String binary = elements.getBinaryName(record).toString();
    return known.computeIfAbsent(binary, b -> {
      PackageElement pkg = elements.getPackageOf(record);
      String packageName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
      String simple = packageName.isEmpty() ? b : b.substring(packageName.length() + 1);
      try (InputStream in = filer.getResource(StandardLocation.CLASS_PATH, packageName,
          simple + ".class").openInputStream()) {
        List<String> components = record.getRecordComponents().stream()
            .map(RecordComponentElement::getSimpleName).map(Object::toString).toList();
        return plainCanonical(new DataInputStream(in), b.replace('.', '/'), components);
      } catch (IOException | RuntimeException e) {
        return false;
      }
    });
  }

  /** Reads a class file: does its canonical constructor only assign the components? */
  static boolean plainCanonical(DataInputStream in, String internalName, List<String> components)
      throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      return false;
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    Object[] pool = new Object[count];
    int[][] refs = new int[count][];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> pool[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 7, 8, 16, 19, 20 -> refs[i] = new int[] {tag, in.readUnsignedShort()};
        case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {tag, in.readUnsignedShort(),
            in.readUnsignedShort()};
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> {
          return false;
        }
      }
    }
    in.readUnsignedShort(); // access
    in.readUnsignedShort(); // this
    in.readUnsignedShort(); // super
    int interfaces = in.readUnsignedShort();
    for (int i = 0; i < interfaces; i++) {
      in.readUnsignedShort();
    }
    Map<String, String> fieldTypes = new HashMap<>();
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.readUnsignedShort();
      String name = (String) pool[in.readUnsignedShort()];
      fieldTypes.put(name, (String) pool[in.readUnsignedShort()]);
      skipAttributes(in);
    }
    StringBuilder descriptor = new StringBuilder("(");
    for (String c : components) {
      String t = fieldTypes.get(c);
      if (t == null) {
        return false;
      }
      descriptor.append(t);
    }
    descriptor.append(")V");
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      in.readUnsignedShort();
      String name = (String) pool[in.readUnsignedShort()];
      String desc = (String) pool[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      byte[] code = null;
      for (int a = 0; a < attributes; a++) {
        String attribute = (String) pool[in.readUnsignedShort()];
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        if (attribute.equals("Code")) {
          code = body;
        }
      }
      if (name.equals("<init>") && desc.contentEquals(descriptor)) {
        return code != null && assignsOnly(code, pool, refs, internalName, components,
            fieldTypes);
      }
    }
    return false;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.readUnsignedShort();
      in.skipNBytes(in.readInt());
    }
  }

  /**
   * Whether a Code attribute's bytecode is {@code aload_0; invokespecial Record.<init>()V},
   * then per component {@code aload_0; Xload slot; putfield this.component}, then
   * {@code return}.
   */
  private static boolean assignsOnly(byte[] attribute, Object[] pool, int[][] refs,
      String internalName, List<String> components, Map<String, String> fieldTypes) {
    // Code attribute: max_stack u2, max_locals u2, code_length u4, code
    int length = ((attribute[4] & 0xff) << 24) | ((attribute[5] & 0xff) << 16)
        | ((attribute[6] & 0xff) << 8) | (attribute[7] & 0xff);
    int at = 8;
    int end = at + length;
    if ((attribute[at++] & 0xff) != 0x2a || (attribute[at++] & 0xff) != 0xb7
        || !member(pool, refs, u2(attribute, at), "java/lang/Record", "<init>")) {
      return false;
    }
    at += 2;
    int slot = 1;
    for (String c : components) {
      if (at >= end || (attribute[at++] & 0xff) != 0x2a) {
        return false;
      }
      char kind = fieldTypes.get(c).charAt(0);
      int shortBase;
      int longForm;
      switch (kind) {
        case 'J' -> {
          shortBase = 0x1e;
          longForm = 0x16;
        }
        case 'F' -> {
          shortBase = 0x22;
          longForm = 0x17;
        }
        case 'D' -> {
          shortBase = 0x26;
          longForm = 0x18;
        }
        case 'L', '[' -> {
          shortBase = 0x2a;
          longForm = 0x19;
        }
        default -> {
          shortBase = 0x1a;
          longForm = 0x15;
        }
      }
      int op = attribute[at++] & 0xff;
      if (slot <= 3 && op == shortBase + slot) {
        // the short form
      } else if (op == longForm && (attribute[at++] & 0xff) == slot) {
        // the form with an index byte
      } else {
        return false;
      }
      if ((attribute[at++] & 0xff) != 0xb5 || !member(pool, refs, u2(attribute, at),
          internalName, c)) {
        return false;
      }
      at += 2;
      slot += kind == 'J' || kind == 'D' ? 2 : 1;
    }
    return at == end - 1 && (attribute[at] & 0xff) == 0xb1;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  /** Whether constant {@code index} is a field or method reference to {@code owner.name}. */
  private static boolean member(Object[] pool, int[][] refs, int index, String owner,
      String name) {
    if (index <= 0 || index >= refs.length || refs[index] == null || refs[index].length < 3) {
      return false;
    }
    int[] classRef = refs[refs[index][1]];
    int[] nameAndType = refs[refs[index][2]];
    return classRef != null && nameAndType != null && owner.equals(pool[classRef[1]])
        && name.equals(pool[nameAndType[1]]);
  }
}
