package io.calltrack.delivery;

import io.calltrack.calls.Call;
import io.calltrack.calls.CallClass;
import io.calltrack.calls.Classification;
import io.calltrack.recordings.Transcript;
import io.calltrack.tracking.ClickIds;
import io.calltrack.tracking.Touch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies sent for a call: the webhook events and the GA4 Measurement Protocol event. */
final class CallPayloads {
    private CallPayloads() {}

    static Map<String, Object> webhook(String event, Call c, String callTrackerUrl) {
        return event(event, call(c, callTrackerUrl));
    }

    /**
     * {@code call.transcribed}: the call as in the other events, with its tags and its transcript (each turn's side,
     * start, end and text; the words' times are left out: a receiver wants what was said, and they would multiply
     * the body). The transcript is null when it is gone (deleted with the recording) by the time this is sent.
     */
    static Map<String, Object> transcribed(Call c, String callTrackerUrl, List<String> tags, Transcript t) {
        Map<String, Object> call = call(c, callTrackerUrl);
        call.put("tags", tags);
        call.put("transcript", t == null ? null : transcript(t));
        return event(WebhookEvents.TRANSCRIBED, call);
    }

    private static Map<String, Object> transcript(Transcript t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("language", t.language());
        m.put("audio_seconds", t.audioSeconds());
        m.put("transcribed_at", t.transcribedAt());
        m.put("turns", t.turns().stream().map(turn -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("side", turn.side().value());
            line.put("start", turn.start());
            line.put("end", turn.end());
            line.put("text", turn.text());
            return line;
        }).toList());
        return m;
    }

    private static Map<String, Object> event(String event, Map<String, Object> call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("call", call);
        return body;
    }

    private static Map<String, Object> call(Call c, String callTrackerUrl) {
        // the last touch, which the call is credited to, at the top; the first touch beside it
        Map<String, Object> attribution = new LinkedHashMap<>();
        attribution.put("method", c.attribution().dbValue());
        attribution.putAll(touch(c.visit().touches().last()));
        attribution.put("first_touch", touch(c.visit().touches().first()));
        attribution.put("client_id", c.visit().clientId().orElse(null));
        attribution.put("ga_client_id", c.visit().analyticsIds().gaClientId().orElse(null));
        attribution.put("ym_client_id", c.visit().analyticsIds().ymClientId().orElse(null));

        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", c.id());
        call.put("linkedid", c.linkedid());
        call.put("site_id", c.siteId().orElse(null));
        call.put("caller_number", c.callerNumber().orElse(null));
        call.put("called_number", c.calledNumber());
        call.put("class", callClass(c).orElse(null));
        call.put("class_reason", c.outcome().classification().map(Classification::reason).orElse(null));
        call.put("first_time_caller", c.firstTimeCaller());
        call.put("repeat_call", c.repeatCall());
        call.put("started_at", c.startedAt());
        call.put("answered_at", c.answeredAt().orElse(null));
        call.put("ended_at", c.endedAt().orElse(null));
        call.put("ring_seconds", c.outcome().ringSeconds().orElse(null));
        call.put("talk_seconds", c.outcome().talkSeconds().orElse(null));
        call.put("deal_amount", c.dealAmount().orElse(null));
        call.put("recording_url", recordingUrl(c, callTrackerUrl));
        call.put("attribution", attribution);
        return call;
    }

    /**
     * A recording the PBX keeps (the recordingUrl a SIP redirect's outcome reported) is linked where it is; one
     * MixMonitor wrote to our disk is served by our recording endpoint.
     */
    private static String recordingUrl(Call c, String callTrackerUrl) {
        String stored = c.recordingPath().orElse(null);
        if (stored == null) return null;
        return stored.startsWith("https://") || stored.startsWith("http://") ? stored
                : CallLinks.recording(callTrackerUrl, c.id());
    }

    private static Optional<String> callClass(Call c) {
        return c.outcome().callClass().map(CallClass::value);
    }

    private static Map<String, Object> touch(Touch t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel_id", t.channelId().orElse(null));
        m.put("channel", t.channelName().orElse(null));
        m.put("source", t.source().orElse(null));
        m.put("medium", t.medium().orElse(null));
        m.put("campaign", t.campaign().orElse(null));
        m.put("keyword", t.keyword().orElse(null));
        m.put("landing_page", t.landingPage().orElse(null));
        m.put("touch_at", t.at().orElse(null));
        Map<String, Object> clickIds = new LinkedHashMap<>();
        for (String name : ClickIds.NAMES) clickIds.put(name, t.clickIds().get(name).orElse(null));
        m.put("click_ids", clickIds);
        return m;
    }

    /**
     * One "phone_call" event for the visitor GA4 knows by {@code clientId} (from the {@code _ga} cookie: the only id
     * GA4 links a Measurement Protocol event to a visitor by), at the call's start. The last touch's campaign and
     * gclid go along as event parameters.
     */
    static Map<String, Object> ga4(Call c, String clientId) {
        Touch last = c.visit().lastTouch();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("call_id", c.id());
        params.put("call_class", callClass(c).orElse("unknown"));
        params.put("talk_seconds", c.outcome().talkSeconds().orElse(0));
        params.put("ring_seconds", c.outcome().ringSeconds().orElse(0));
        params.put("missed", c.missed());
        params.put("first_time_caller", c.firstTimeCaller());
        last.campaign().ifPresent(v -> params.put("campaign", v));
        last.source().ifPresent(v -> params.put("source", v));
        last.medium().ifPresent(v -> params.put("medium", v));
        last.clickIds().gclid().ifPresent(v -> params.put("gclid", v));
        c.dealAmount().ifPresent(v -> params.put("value", v));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put("timestamp_micros", c.startedAt().toEpochMilli() * 1000);
        body.put("events", List.of(Map.of("name", "phone_call", "params", params)));
        return body;
    }
}
