package io.jenkins.plugins.clearml.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Draws a run's GPU utilisation over time as a small inline SVG ({@value #WIDTH}×{@value #HEIGHT}): one line per
 * GPU, 0-100 % axis, run duration on the time axis, a legend of up to {@value #LEGEND_ROWS} GPUs. Static markup
 * only: no script, no event handler, no external reference; every text is XML-escaped.
 */
public final class UtilizationChartSvg {

    public static final int WIDTH = 480;
    public static final int HEIGHT = 150;
    static final int LEGEND_ROWS = 8;

    private static final int LEFT = 34;
    private static final int TOP = 8;
    private static final int PLOT_W = 350;
    private static final int PLOT_H = 116;
    /** Colour-blind safe (Okabe-Ito), dark enough on white. */
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
        "#000000", "#F0E442"};

    private UtilizationChartSvg() {
    }

    /** The chart, or a chart that says "no GPU readings" for a run without GPUs. */
    public static String render(GpuRunSummary summary) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"10\">");
        svg.append("<title>").append(escape(title(summary))).append("</title>");
        axes(svg, summary);
        List<GpuRunSummary.Gpu> gpus = summary.gpus();
        if (gpus.isEmpty()) {
            text(svg, LEFT + PLOT_W / 2, TOP + PLOT_H / 2, "middle", "#666666", "no GPU readings");
        }
        for (int g = 0; g < gpus.size(); g++) {
            line(svg, gpus.get(g).utilizationPoints(), COLOURS[g % COLOURS.length]);
        }
        legend(svg, gpus);
        return svg.append("</svg>").toString();
    }

    private static String title(GpuRunSummary summary) {
        StringBuilder t = new StringBuilder("GPU utilisation");
        for (GpuRunSummary.Gpu g : summary.gpus()) {
            t.append("; GPU ").append(g.index()).append(": mean ").append(percent(g.meanUtilization()))
                    .append(", peak ").append(percent(g.peakUtilization()));
        }
        return t.toString();
    }

    private static void axes(StringBuilder svg, GpuRunSummary summary) {
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(PLOT_W)
                .append("\" height=\"").append(PLOT_H).append("\" fill=\"none\" stroke=\"#999999\"/>");
        for (int pct : new int[] {0, 50, 100}) {
            double y = y(pct);
            if (pct == 50) {
                svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                        .append(LEFT + PLOT_W).append("\" y2=\"").append(num(y))
                        .append("\" stroke=\"#dddddd\"/>");
            }
            text(svg, LEFT - 4, y + 3, "end", "#333333", pct + " %");
        }
        int axisY = TOP + PLOT_H + 13;
        text(svg, LEFT, axisY, "start", "#333333", "0");
        text(svg, LEFT + PLOT_W, axisY, "end", "#333333", duration(summary.durationMillis()));
    }

    private static void line(StringBuilder svg, double[] points, String colour) {
        if (points.length == 0) {
            return;
        }
        svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(colour).append("\" points=\"");
        if (points.length == 1) {
            svg.append(LEFT).append(',').append(num(y(points[0]))).append(' ')
                    .append(LEFT + PLOT_W).append(',').append(num(y(points[0])));
        } else {
            double step = (double) PLOT_W / (points.length - 1);
            for (int i = 0; i < points.length; i++) {
                if (i > 0) {
                    svg.append(' ');
                }
                svg.append(num(LEFT + i * step)).append(',').append(num(y(points[i])));
            }
        }
        svg.append("\"/>");
    }

    private static void legend(StringBuilder svg, List<GpuRunSummary.Gpu> gpus) {
        int x = LEFT + PLOT_W + 10;
        int shown = Math.min(gpus.size(), gpus.size() > LEGEND_ROWS ? LEGEND_ROWS - 1 : LEGEND_ROWS);
        for (int g = 0; g < shown; g++) {
            GpuRunSummary.Gpu gpu = gpus.get(g);
            int y = TOP + 10 + g * 14;
            svg.append("<rect x=\"").append(x).append("\" y=\"").append(y - 7).append("\" width=\"8\" height=\"8\" fill=\"")
                    .append(COLOURS[g % COLOURS.length]).append("\"/>");
            text(svg, x + 12, y, "start", "#333333", "GPU " + gpu.index() + ": " + percent(gpu.meanUtilization()));
        }
        if (gpus.size() > shown) {
            text(svg, x, TOP + 10 + shown * 14, "start", "#333333", "+" + (gpus.size() - shown) + " more");
        }
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String fill, String text) {
        svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" fill=\"").append(fill).append("\">").append(escape(text)).append("</text>");
    }

    private static double y(double percent) {
        double clamped = Double.isFinite(percent) ? Math.max(0, Math.min(100, percent)) : 0;
        return TOP + PLOT_H * (1 - clamped / 100.0);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String percent(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f %%", v);
    }

    /** "45 s", "12 min", "3.5 h". */
    static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }

    /** XML-escapes text for an element's content or a double-quoted attribute. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append(' '); // not allowed in XML 1.0
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
