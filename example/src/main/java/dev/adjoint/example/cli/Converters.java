package dev.adjoint.example.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option value converters whose messages say what was expected; picocli prefixes them with the
 * option, as in {@code Invalid value for option '--epochs': '0' is not a positive whole number}.
 */
public final class Converters {
  private Converters() {}

  /** A whole number of at least 1. */
  public static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a positive whole number"
            + (value.strip().matches("\\+?[0-9]+") ? " up to " + Integer.MAX_VALUE : ""));
      }
      if (n <= 0) {
        throw new TypeConversionException("'" + value + "' is not a positive whole number");
      }
      return n;
    }
  }

  /** A whole number of any sign that fits in a {@code long}, such as a seed. */
  public static final class WholeNumber implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number"
            + (value.strip().matches("[-+]?[0-9]+") ? " from " + Long.MIN_VALUE + " to "
                + Long.MAX_VALUE : ""));
      }
    }
  }

  /** A finite number above 0, such as {@code 0.1} or {@code 1e-3}. */
  public static final class PositiveNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double x;
      try {
        x = Double.parseDouble(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number");
      }
      if (!(x > 0) || Double.isInfinite(x)) {
        throw new TypeConversionException("'" + value + "' is not a positive finite number");
      }
      return x;
    }
  }

  /**
   * One of an enum's constants, written in lower case on the command line ({@code relu} for
   * {@code RELU}); the message lists the choices.
   */
  public abstract static class Choice<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    protected Choice(Class<E> type) {
      this.type = type;
    }

    @Override
    public E convert(String value) {
      for (E e : type.getEnumConstants()) {
        if (label(e).equals(value.strip().toLowerCase(Locale.ROOT))) {
          return e;
        }
      }
      throw new TypeConversionException("'" + value + "' is not one of " + choices(type));
    }

    /** The constant's name on the command line. */
    public static String label(Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code relu, sigmoid or tanh}. */
    static String choices(Class<? extends Enum<?>> type) {
      String[] labels = Arrays.stream(type.getEnumConstants()).map(Choice::label)
          .toArray(String[]::new);
      return labels.length == 1 ? labels[0]
          : Arrays.stream(labels, 0, labels.length - 1).collect(Collectors.joining(", "))
              + " or " + labels[labels.length - 1];
    }
  }
}
