package io.rankwise.cli.report;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * A sequential colour scale from rank 0 (near white) to the largest rank (dark blue), linear in
 * between: more surviving rank reads as more ink.
 */
final class RankPaintScale implements PaintScale, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Color LOW = new Color(0xF7FBFF);
    private static final Color MID = new Color(0x6BAED6);
    private static final Color HIGH = new Color(0x08306B);
    private final double upper;

    /** A scale over [0, {@code upper}]; an upper bound of 0 is widened to 1 to stay drawable. */
    RankPaintScale(double upper) {
        this.upper = Math.max(upper, 1);
    }

    @Override
    public double getLowerBound() {
        return 0;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        double t = Math.max(0, Math.min(1, value / upper));
        return t < 0.5 ? mix(LOW, MID, t * 2) : mix(MID, HIGH, (t - 0.5) * 2);
    }

    /** Whether text on this value's colour should be white to stay readable. */
    boolean isDark(double value) {
        return value / upper > 0.55;
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }
}
