package dev.tern.core.media;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Server-made previews of uploaded images: at most {@link #EDGE} pixels on the long side, JPEG. The
 * image's dimensions are read from its header first, so a small file that claims a huge canvas (a
 * decompression bomb) is measured, not decoded.
 */
final class Thumbnails {
    static final int EDGE = 320;
    /** Larger images get their size recorded but no thumbnail: decoding them costs too much memory. */
    static final long MAX_PIXELS = 40_000_000L;

    /** The size of an image and its thumbnail file (null when none was made). */
    record Result(int width, int height, Path thumbnail) {}

    private Thumbnails() {
    }

    /** Reads {@code image}'s size and writes a thumbnail next to {@code into}; null when it is no image we read. */
    static Result make(Path image, Path into) {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if ((long) w * h > MAX_PIXELS || w <= 0 || h <= 0) {
                    return new Result(Math.max(w, 0), Math.max(h, 0), null);
                }
                BufferedImage full = reader.read(0);
                double scale = Math.min(1.0, (double) EDGE / Math.max(w, h));
                int tw = Math.max(1, (int) Math.round(w * scale));
                int th = Math.max(1, (int) Math.round(h * scale));
                BufferedImage small = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = small.createGraphics();
                try {
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                    g.drawImage(full, 0, 0, tw, th, java.awt.Color.WHITE, null); // white under transparency
                } finally {
                    g.dispose();
                }
                if (!ImageIO.write(small, "jpg", into.toFile())) {
                    return new Result(w, h, null);
                }
                return new Result(w, h, into);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // not an image we can read: no size, no thumbnail
        }
    }
}
