package io.calltrack.calls;

import io.calltrack.InvalidField;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a user writes on a call, checked: their tags (beside the speech rules') and a note. */
public final class CallAnnotations {
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 100;
    public static final int MAX_NOTE = 2000;

    private CallAnnotations() {}

    /**
     * The tags without surrounding white space, each once (stored and read back sorted).
     * @throws InvalidField naming the list or the tag at fault
     */
    public static List<String> tags(List<String> tags) {
        if (tags == null) throw new InvalidField("tags", "a list of tags is required (empty removes them)");
        if (tags.size() > MAX_TAGS) throw new InvalidField("tags", "at most " + MAX_TAGS + " tags, got " + tags.size());
        Set<String> kept = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String field = "tags[" + i + "]";
            String tag = tags.get(i) == null ? "" : tags.get(i).strip();
            if (tag.isEmpty()) throw new InvalidField(field, "a tag needs at least one character");
            if (tag.length() > MAX_TAG) throw new InvalidField(field, "a tag is at most " + MAX_TAG + " characters");
            if (tag.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidField(field, "a tag must not contain control characters");
            }
            kept.add(tag);
        }
        return List.copyOf(kept);
    }

    /**
     * The note without surrounding white space; empty when it is null or blank (no note). Lines and tabs are kept, other control characters
     * refused. @throws InvalidField naming the note
     */
    public static Optional<String> note(String note) {
        if (note == null || note.isBlank()) return Optional.empty();
        String text = note.strip();
        if (text.length() > MAX_NOTE) {
            throw new InvalidField("note", "a note is at most " + MAX_NOTE + " characters, got " + text.length());
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw new InvalidField("note", "a note must not contain control characters other than line breaks and tabs");
        }
        return Optional.of(text);
    }
}
