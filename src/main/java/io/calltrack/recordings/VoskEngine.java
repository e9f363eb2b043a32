package io.calltrack.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Vosk (Kaldi) on the CPU, offline. Each language's model is loaded once, at its first use (it takes seconds and
 * hundreds of MB), and shared by every worker: a Vosk model is safe to use from several recognisers at once. A
 * language's model directory is {@code transcription.models.<lang>}; English without one is the shipped model.
 */
public final class VoskEngine implements SpeechEngine, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoskEngine.class);
    /** What the small Vosk models are trained on. */
    static final int MODEL_RATE = 16_000;
    /** Fed in quarter seconds: the recogniser ends an utterance at a pause, whatever the chunk size. */
    private static final int CHUNK = MODEL_RATE / 4;

    private final Map<String, Path> configured;
    private final ShippedModel shipped;
    private final ObjectMapper json;
    private final Map<String, Model> loaded = new ConcurrentHashMap<>();

    public VoskEngine(Map<String, Path> configured, ShippedModel shipped, ObjectMapper json) {
        this.configured = Map.copyOf(configured);
        this.shipped = shipped;
        this.json = json;
        LibVosk.setLogLevel(LogLevel.WARNINGS);
    }

    @Override
    public List<Utterance> recognise(PcmAudio audio, String language) throws NoModel {
        PcmAudio pcm = Resampler.to(audio, MODEL_RATE);
        List<Utterance> out = new ArrayList<>();
        try (Recognizer r = new Recognizer(model(language), MODEL_RATE)) {
            r.setWords(true);
            for (int at = 0; at < pcm.samples().length; at += CHUNK) {
                byte[] chunk = pcm.littleEndian(at, Math.min(pcm.samples().length, at + CHUNK));
                if (r.acceptWaveForm(chunk, chunk.length)) parse(r.getResult()).ifPresent(out::add);
            }
            parse(r.getFinalResult()).ifPresent(out::add);
        } catch (IOException e) {
            throw new NoModel("the " + language + " model could not start a recogniser: " + e.getMessage());
        }
        return out;
    }

    private Model model(String language) throws NoModel {
        Model m = loaded.get(language);
        if (m != null) return m;
        synchronized (this) {
            m = loaded.get(language);
            if (m != null) return m;
            Path dir = configured.get(language);
            if (dir == null) {
                if (!language.equals("en")) {
                    throw new NoModel("no speech model for language '" + language + "': set transcription.models."
                            + language + " to a Vosk model directory (README, Transcripts)");
                }
                dir = shipped.english();
            }
            long began = System.nanoTime();
            try {
                m = new Model(dir.toString());
            } catch (IOException | RuntimeException e) {
                throw new NoModel("the " + language + " speech model in " + dir + " could not be loaded ("
                        + e.getMessage() + "); is it a Vosk model directory (am/, conf/, graph/)?");
            }
            log.info("speech model for '{}' loaded from {} in {} ms", language, dir,
                    (System.nanoTime() - began) / 1_000_000);
            loaded.put(language, m);
            return m;
        }
    }

    /** Vosk's result: {"result": [{"word", "start", "end", "conf"}...], "text"}; silence has no "result". */
    private java.util.Optional<Utterance> parse(String result) throws IOException {
        JsonNode words = json.readTree(result).path("result");
        List<Word> out = new ArrayList<>();
        for (JsonNode w : words) {
            out.add(new Word(w.path("word").asText(), w.path("start").asDouble(), w.path("end").asDouble(),
                    w.path("conf").asDouble()));
        }
        return out.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Utterance(out));
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(Model::close);
        loaded.clear();
    }
}
