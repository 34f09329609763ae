package dev.adjoint.example;

import dev.adjoint.Differentiable;
import dev.adjoint.GradCheck;

/**
 * Seed 001: the shopping computational graph. Two apples at 100 and three oranges at 150 are
 * added up and taxed at 10%; backpropagating from the price gives how much the price changes per
 * unit change of each input.
 *
 * <p>The seed builds the graph from {@code MulLayer} and {@code AddLayer} objects and calls their
 * {@code backward} methods in reverse order by hand. Here the same graph is ordinary Java: each
 * node is a {@code @Differentiable} method, and {@code ApplePriceGrad.price} is the whole
 * backward pass, generated at compile time.
 */
public final class ApplePrice {
  /** Price of one apple. */
  public static final double APPLE = 100;
  /** Number of apples. */
  public static final double APPLE_NUM = 2;
  /** Price of one orange. */
  public static final double ORANGE = 150;
  /** Number of oranges. */
  public static final double ORANGE_NUM = 3;
  /** Tax factor (10% consumption tax). */
  public static final double TAX = 1.1;

  /**
   * Tolerance for the seed's numbers. They are exact decimals (715, 2.2, ...), and a double
   * computation lands within a few rounding errors of them, so the printed precision is not the
   * yardstick: 1e-9 is.
   */
  public static final double TOLERANCE = 1e-9;

  private ApplePrice() {}

  /**
   * A multiply node ({@code MulLayer}): backward passes on the upstream gradient times the
   * other input.
   *
   * @param x first factor
   * @param y second factor
   * @return {@code x * y}
   */
  @Differentiable
  public static double multiply(double x, double y) {
    return x * y;
  }

  /**
   * An add node ({@code AddLayer}): backward passes the upstream gradient on unchanged.
   *
   * @param x first term
   * @param y second term
   * @return {@code x + y}
   */
  @Differentiable
  public static double add(double x, double y) {
    return x + y;
  }

  /**
   * The right part of the graph, from the two subtotals to the price. Its gradient holds the
   * upstream gradients the seed's add node receives and passes on.
   *
   * @param applePrice price of the apples
   * @param orangePrice price of the oranges
   * @param tax tax factor
   * @return {@code (applePrice + orangePrice) * tax}
   */
  @Differentiable
  public static double taxedTotal(double applePrice, double orangePrice, double tax) {
    double allPrice = add(applePrice, orangePrice);
    return multiply(allPrice, tax);
  }

  /**
   * The whole graph, in the seed's forward order.
   *
   * @param apple price of one apple
   * @param appleNum number of apples
   * @param orange price of one orange
   * @param orangeNum number of oranges
   * @param tax tax factor
   * @return the price to pay
   */
  @Differentiable
  public static double price(double apple, double appleNum, double orange, double orangeNum,
      double tax) {
    double applePrice = multiply(apple, appleNum);
    double orangePrice = multiply(orange, orangeNum);
    return taxedTotal(applePrice, orangePrice, tax);
  }

  /**
   * Computes the example and lays its numbers beside the seed's.
   *
   * @return the table: the price, every gradient the seed prints, the gradients inside the graph
   *     that its text describes, and a gradient check
   */
  public static SeedTable report() {
    SeedTable t = new SeedTable("2. Apple and orange price graph (seed 001)");
    ApplePriceGrad.Price g = ApplePriceGrad.price(APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX);

    // print(price) and print(dapple_num, dapple, dorange, dorange_num, dtax) in the seed.
    t.within("price", "715", TOLERANCE, g.value());
    t.within("dapple", "2.2", TOLERANCE, g.apple());
    t.within("dapple_num", "110", TOLERANCE, g.appleNum());
    t.within("dorange", "3.3", TOLERANCE, g.orange());
    t.within("dorange_num", "165", TOLERANCE, g.orangeNum());
    t.within("dtax", "650", TOLERANCE, g.tax());

    // Inside the graph: the text gives the price before tax (650) and says the add node
    // receives 1.1 from the right and passes it on to both subtotals.
    double applePrice = multiply(APPLE, APPLE_NUM);
    double orangePrice = multiply(ORANGE, ORANGE_NUM);
    double allPrice = add(applePrice, orangePrice);
    ApplePriceGrad.Multiply taxNode = ApplePriceGrad.multiply(allPrice, TAX);
    ApplePriceGrad.TaxedTotal rest = ApplePriceGrad.taxedTotal(applePrice, orangePrice, TAX);
    t.extra("apple_price", applePrice);
    t.extra("orange_price", orangePrice);
    t.within("all_price", "650", TOLERANCE, allPrice);
    t.within("dall_price", "1.1", TOLERANCE, taxNode.x());
    t.within("dapple_price", "1.1", TOLERANCE, rest.applePrice());
    t.within("dorange_price", "1.1", TOLERANCE, rest.orangePrice());

    double[] point = {APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX};
    double[] analytic = {g.apple(), g.appleNum(), g.orange(), g.orangeNum(), g.tax()};
    GradCheck.Report check =
        GradCheck.compare((double[] v) -> price(v[0], v[1], v[2], v[3], v[4]), point, analytic);
    t.gradCheck("price", check, GradCheck.DOUBLE_TOLERANCE);

    t.note("the seed prints its results as code comments (#715, #110, ...); they are exact"
        + " decimals, so the tolerance is " + TOLERANCE + ", not the printed precision");
    return t;
  }
}
