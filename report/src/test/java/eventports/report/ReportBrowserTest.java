package eventports.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The report in a real browser: Debian's Chromium, headless, loads the Demo report from disk,
 * dumps its DOM (the inline SVGs must be there) and takes a screenshot (the diagram must be
 * drawn: the port header's colour, which nothing else in the page uses, marks where the first
 * diagram starts, and the band below it must hold the dark pixels of lines and text). The
 * output stays in target/report-browser-test for a person to look at.
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int W = 1400, H = 2000;
    /** Not a timing assertion: a browser that hangs must not hang the build. */
    private static final long HANG_SECONDS = 90;

    @Test
    void chromiumRendersTheReportWithItsDiagrams() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium)");
        Path out = Path.of("target", "report-browser-test").toAbsolutePath();
        deleteTree(out);
        Report report = Demo.sample();
        Path html = ReportWriter.write(report, out.resolve("report"));
        String url = html.toUri().toString();

        // one browser start for both: it is the slow part of the test
        Path png = out.resolve("screenshot.png");
        String dom = Files.readString(chromium(out, "shot", "--screenshot=" + png, "--dump-dom",
                "--window-size=" + W + "," + H, url), StandardCharsets.UTF_8);
        if (dom.isBlank()) {
            // a Chromium that takes only one of the two commands per start
            dom = Files.readString(chromium(out, "dump", "--dump-dom", url), StandardCharsets.UTF_8);
        }
        int steps = report.interleavings().stream().mapToInt(il -> il.steps().size()).sum();
        assertEquals(report.interleavings().size(), count(dom, "<svg "), "every diagram is in the DOM");
        assertEquals(steps, count(dom, "class=\"arrow\""), "one arrow per step in the DOM");
        assertTrue(dom.contains("class=\"lifeline thread\"") && dom.contains("port_check_return_cond"));

        assertTrue(Files.size(png) > 10_000, "a real screenshot, not an empty image");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(W, img.getWidth());
        assertEquals(H, img.getHeight());
        assertTrue(distinctColours(img) > 50, "not a single colour");

        int[] header = findColour(img, SequenceDiagram.PORT_FILL);
        assertTrue(header != null, "the first diagram's port header is on screen");
        int top = header[1], bottom = Math.min(H, top + 400);
        int dark = 0, darkLeftOfPort = 0;
        for (int y = top; y < bottom; y++) {
            for (int x = 0; x < W; x++) {
                if (luma(img.getRGB(x, y)) < 90) {
                    dark++;
                    darkLeftOfPort += x < header[0] ? 1 : 0;
                }
            }
        }
        assertTrue(dark > 3000, "lines and text in the diagram: " + dark + " dark pixels");
        assertTrue(darkLeftOfPort > 1000, "thread lifelines, arrows and labels left of the port: " + darkLeftOfPort);
    }

    /** Runs Chromium headless on a fresh profile; returns the file holding its standard output. */
    private static Path chromium(Path dir, String name, String... args) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("profile-" + name));
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path stdout = dir.resolve(name + ".out"), stderr = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("chromium did not finish within " + HANG_SECONDS + " s: " + cmd);
        }
        if (p.exitValue() != 0) {
            fail("chromium exited " + p.exitValue() + ": " + Files.readString(stderr));
        }
        return stdout;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }

    /** The left and top of the first block of {@code hex}-coloured pixels (±6 per channel), or null. */
    private static int[] findColour(BufferedImage img, String hex) {
        int want = Integer.parseInt(hex.substring(1), 16);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth() - 20; x++) {
                if (near(img.getRGB(x, y), want) && near(img.getRGB(x + 20, y), want)) {
                    return new int[] {x, y};
                }
            }
        }
        return null;
    }

    private static boolean near(int rgb, int want) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((want >> shift) & 0xff)) > 6) {
                return false;
            }
        }
        return true;
    }

    private static int luma(int rgb) {
        return (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        }
    }
}
