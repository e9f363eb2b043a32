package io.calltrack.recordings;

/**
 * Band-limited resampling (a Hann-windowed sinc). Asterisk records telephone audio at 8 kHz; the small Vosk models
 * are trained on 16 kHz and hear nothing in audio at any other rate. Done here rather than with the model's
 * {@code --allow-upsample} so that any model an operator adds works without editing its files.
 */
public final class Resampler {
    /** Input samples each side of an output sample: enough for a clean cut-off at speech frequencies. */
    private static final int HALF_WIDTH = 16;

    private Resampler() {}

    public static PcmAudio to(PcmAudio in, int rate) {
        if (in.sampleRate() == rate) return in;
        double ratio = (double) rate / in.sampleRate();
        // the cut-off is the lower of the two Nyquist frequencies, in input-sample units
        double cutoff = Math.min(1.0, ratio);
        short[] src = in.samples();
        int n = (int) Math.floor(src.length * ratio);
        short[] out = new short[n];
        double width = HALF_WIDTH / cutoff;
        for (int i = 0; i < n; i++) {
            double x = i / ratio;
            int first = (int) Math.ceil(x - width);
            int last = (int) Math.floor(x + width);
            double sum = 0;
            for (int k = Math.max(0, first); k <= Math.min(src.length - 1, last); k++) {
                double d = x - k;
                double window = 0.5 + 0.5 * Math.cos(Math.PI * d / width);
                sum += src[k] * cutoff * sinc(cutoff * d) * window;
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
        }
        return new PcmAudio(rate, out);
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }
}
