package io.calltrack.recordings;

/** One channel of 16-bit linear PCM. */
public record PcmAudio(int sampleRate, short[] samples) {
    public PcmAudio {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
    }

    public double seconds() {
        return (double) samples.length / sampleRate;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) as little-endian bytes, as engines take them. */
    public byte[] littleEndian(int from, int to) {
        byte[] out = new byte[(to - from) * 2];
        for (int i = from; i < to; i++) {
            out[(i - from) * 2] = (byte) samples[i];
            out[(i - from) * 2 + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }
}
