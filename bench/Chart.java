import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The chart of a throughput run (bench/throughput.sh): end-to-end rates of the single-job and
 * batch endpoints next to PerfTest's on a log scale, and their accept latency percentiles.
 *
 *   java bench/Chart.java OUT.png "mode=single ... p99_ms=.." "mode=batch100 ..." PERFTEST_MSG_PER_S [TITLE]
 */
public class Chart {

    private static final int W = 1000, H = 460;
    private static final Color[] SHADES = {new Color(0x2f6f9f), new Color(0xe07b39), new Color(0x6a9f3f)};

    public static void main(String[] args) throws Exception {
        Map<String, Double> single = parse(args[1]);
        Map<String, Double> batch = parse(args[2]);
        double perftest = Double.parseDouble(args[3]);
        String title = args.length > 4 ? args[4] : "warren vs RabbitMQ PerfTest, same broker, same run";

        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 28);

        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("single-job", single.get("end_to_end_per_s"));
        rates.put("batch", batch.get("end_to_end_per_s"));
        rates.put("PerfTest", perftest);
        logBars(g, 20, 50, 460, 380, "end-to-end jobs/s (log scale)", rates);

        Map<String, double[]> latency = new LinkedHashMap<>();
        latency.put("single-job", new double[] {single.get("p50_ms"), single.get("p95_ms"), single.get("p99_ms")});
        latency.put("batch (per request)", new double[] {batch.get("p50_ms"), batch.get("p95_ms"), batch.get("p99_ms")});
        latencyBars(g, 520, 50, 460, 380, latency);
        g.dispose();
        ImageIO.write(image, "png", new File(args[0]));
    }

    private static void logBars(Graphics2D g, int x, int y, int w, int h, String label, Map<String, Double> values) {
        int top = y + 30, bottom = y + h - 30, left = x + 50;
        double maxExp = Math.ceil(Math.log10(values.values().stream().mapToDouble(v -> v).max().orElse(10)));
        axis(g, x, y, left, top, bottom, w, label);
        for (int e = 0; e <= maxExp; e++) {
            int ty = bottom - (int) ((bottom - top) * e / maxExp);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, ty, x + w, ty);
            g.setColor(Color.GRAY);
            g.drawString(String.format("%,d", (long) Math.pow(10, e)), x, ty + 4);
        }
        int slot = (w - 60) / values.size(), i = 0;
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            double v = Math.max(entry.getValue(), 1);
            int bh = (int) ((bottom - top) * Math.log10(v) / maxExp);
            int bx = left + 10 + i * slot;
            g.setColor(SHADES[i % SHADES.length]);
            g.fillRect(bx, bottom - bh, slot - 30, bh);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%,.0f/s", entry.getValue()), bx, bottom - bh - 6);
            g.drawString(entry.getKey(), bx, bottom + 16);
            i++;
        }
    }

    private static void latencyBars(Graphics2D g, int x, int y, int w, int h, Map<String, double[]> values) {
        int top = y + 30, bottom = y + h - 30, left = x + 50;
        double max = values.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
        double step = niceStep(max / 5);
        double scaleMax = Math.ceil(max / step) * step;
        axis(g, x, y, left, top, bottom, w, "accept latency, ms (p50, p95, p99)");
        for (double t = 0; t <= scaleMax + 1e-9; t += step) {
            int ty = bottom - (int) ((bottom - top) * t / scaleMax);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, ty, x + w, ty);
            g.setColor(Color.GRAY);
            g.drawString(String.format("%.0f", t), x + 10, ty + 4);
        }
        int group = (w - 60) / values.size(), i = 0;
        String[] names = {"p50", "p95", "p99"};
        for (Map.Entry<String, double[]> entry : values.entrySet()) {
            int gx = left + 10 + i * group, bw = (group - 40) / 3;
            for (int p = 0; p < 3; p++) {
                int bh = (int) ((bottom - top) * entry.getValue()[p] / scaleMax);
                g.setColor(SHADES[p]);
                g.fillRect(gx + p * bw, bottom - bh, bw - 4, bh);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format("%.0f", entry.getValue()[p]), gx + p * bw, bottom - bh - 4);
                g.drawString(names[p], gx + p * bw, bottom + 14);
            }
            g.drawString(entry.getKey(), gx, bottom + 28);
            i++;
        }
    }

    private static void axis(Graphics2D g, int x, int y, int left, int top, int bottom, int w, String label) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString(label, left, y + 18);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, x + w, bottom);
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double f : new double[] {1, 2, 5, 10}) {
            if (f * magnitude >= raw) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static Map<String, Double> parse(String line) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : line.trim().split("\\s+")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                try {
                    values.put(kv[0], Double.parseDouble(kv[1]));
                } catch (NumberFormatException notANumber) {
                    // mode=single and the like
                }
            }
        }
        return values;
    }
}
