package kiln.engine.data.pipeline;

import kiln.engine.shape.TensorShape;

/** Geometry on one channels-first image held in a float array. */
final class Images {

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private Images() { }

    private static float[] scratch(int n) {
        float[] s = SCRATCH.get();
        if (s.length < n) {
            s = new float[n];
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * Rotates by {@code degrees}, scales by {@code zoom} and shifts by (dx, dy) pixels about the centre,
     * sampling bilinearly; places with no source pixel get the channel's {@code fill}.
     */
    static void warp(float[] v, int off, TensorShape s, double degrees, double zoom, double dx, double dy, float[] fill) {
        int h = s.height();
        int w = s.width();
        int plane = h * w;
        int n = plane * s.channels();
        float[] src = scratch(n);
        System.arraycopy(v, off, src, 0, n);
        double t = Math.toRadians(degrees);
        // inverse map: source = R(−θ)·(out − centre − shift) / zoom + centre; positive angles turn
        // counter-clockwise on screen, as in torchvision and PIL
        double cos = Math.cos(t) / zoom;
        double sin = Math.sin(t) / zoom;
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            double ry = y - cy - dy;
            for (int x = 0; x < w; x++) {
                double rx = x - cx - dx;
                double sx = cos * rx - sin * ry + cx;
                double sy = sin * rx + cos * ry + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                for (int c = 0; c < s.channels(); c++) {
                    int base = c * plane;
                    float f = fill[c];
                    float a = pixel(src, base, w, h, x0, y0, f);
                    float b = pixel(src, base, w, h, x0 + 1, y0, f);
                    float cc = pixel(src, base, w, h, x0, y0 + 1, f);
                    float d = pixel(src, base, w, h, x0 + 1, y0 + 1, f);
                    float top = a + (b - a) * fx;
                    float bottom = cc + (d - cc) * fx;
                    v[off + base + y * w + x] = top + (bottom - top) * fy;
                }
            }
        }
    }

    private static float pixel(float[] src, int base, int w, int h, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : src[base + y * w + x];
    }

    /** Moves the image by whole pixels; uncovered places get the channel's fill. Exact, no interpolation. */
    static void shiftWhole(float[] v, int off, TensorShape s, int dx, int dy, float[] fill) {
        int h = s.height();
        int w = s.width();
        int plane = h * w;
        float[] src = scratch(plane * s.channels());
        System.arraycopy(v, off, src, 0, plane * s.channels());
        for (int c = 0; c < s.channels(); c++) {
            int base = c * plane;
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                for (int x = 0; x < w; x++) {
                    int sx = x - dx;
                    v[off + base + y * w + x] = sx < 0 || sy < 0 || sx >= w || sy >= h ? fill[c] : src[base + sy * w + sx];
                }
            }
        }
    }

    static void flipHorizontal(float[] v, int off, TensorShape s) {
        int h = s.height();
        int w = s.width();
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int row = off + c * h * w + y * w;
                for (int x = 0; x < w / 2; x++) {
                    float t = v[row + x];
                    v[row + x] = v[row + w - 1 - x];
                    v[row + w - 1 - x] = t;
                }
            }
        }
    }

    static void flipVertical(float[] v, int off, TensorShape s) {
        int h = s.height();
        int w = s.width();
        for (int c = 0; c < s.channels(); c++) {
            int base = off + c * h * w;
            for (int y = 0; y < h / 2; y++) {
                int a = base + y * w;
                int b = base + (h - 1 - y) * w;
                for (int x = 0; x < w; x++) {
                    float t = v[a + x];
                    v[a + x] = v[b + x];
                    v[b + x] = t;
                }
            }
        }
    }

    /** Bilinear resize of one image from shape {@code s} into {@code out} at {@code outOff} with size oh × ow. */
    static void resize(float[] v, int off, TensorShape s, float[] out, int outOff, int oh, int ow) {
        int h = s.height();
        int w = s.width();
        // align centres of the corner pixels' areas (as image libraries do)
        double sy = (double) h / oh;
        double sx = (double) w / ow;
        for (int c = 0; c < s.channels(); c++) {
            int base = off + c * h * w;
            int obase = outOff + c * oh * ow;
            for (int y = 0; y < oh; y++) {
                double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
                int y0 = (int) fy;
                int y1 = Math.min(y0 + 1, h - 1);
                float wy = (float) (fy - y0);
                for (int x = 0; x < ow; x++) {
                    double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
                    int x0 = (int) fx;
                    int x1 = Math.min(x0 + 1, w - 1);
                    float wx = (float) (fx - x0);
                    float top = v[base + y0 * w + x0] + (v[base + y0 * w + x1] - v[base + y0 * w + x0]) * wx;
                    float bot = v[base + y1 * w + x0] + (v[base + y1 * w + x1] - v[base + y1 * w + x0]) * wx;
                    out[obase + y * ow + x] = top + (bot - top) * wy;
                }
            }
        }
    }

    /** Keeps each channel's values inside [min, max]. */
    static void clip(float[] v, int off, TensorShape s, float[] min, float[] max) {
        int channels = min.length;
        int per = Math.toIntExact(s.elementCount());
        int plane = per / channels;
        for (int c = 0; c < channels; c++) {
            float lo = min[c];
            float hi = max[c];
            for (int i = off + c * plane, end = i + plane; i < end; i++) {
                float x = v[i];
                v[i] = x < lo ? lo : (x > hi ? hi : x);
            }
        }
    }
}
