package io.calltrack.recordings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A call's transcript: the turns of both sides in the order they began. */
public record Dialogue(List<Turn> turns) {
    public Dialogue {
        turns = List.copyOf(turns);
    }

    /** The turns of every side's utterances, interleaved by start time. */
    public static Dialogue of(Map<Side, List<Utterance>> bySide) {
        List<Turn> turns = new ArrayList<>();
        bySide.forEach((side, utterances) -> utterances.forEach(u -> turns.add(Turn.of(side, u))));
        turns.sort(Comparator.comparingDouble(Turn::start));
        return new Dialogue(turns);
    }

    /**
     * Who said what, in order, on one line: {@code caller: ... / manager: ...} (a spreadsheet's cell of the call
     * log's export).
     */
    public String script() {
        return String.join(" / ", turns.stream().map(t -> t.side().value() + ": " + t.text()).toList());
    }

    /** Everything said, in order: what the transcript's text column (for search) holds. */
    public String text() {
        return String.join(" ", turns.stream().map(Turn::text).toList());
    }
}
