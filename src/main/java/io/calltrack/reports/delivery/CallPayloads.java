package io.calltrack.reports.delivery;

import io.calltrack.reports.CallRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies sent for a call: the webhook event and the GA4 Measurement Protocol event. */
final class CallPayloads {
    private CallPayloads() {}

    static Map<String, Object> webhook(String event, CallRecord c, String callTrackerUrl) {
        Map<String, Object> attribution = new LinkedHashMap<>();
        attribution.put("method", c.attribution());
        attribution.put("channel_id", c.channelId());
        attribution.put("channel", c.channelName());
        attribution.put("source", c.source());
        attribution.put("medium", c.medium());
        attribution.put("campaign", c.campaign());
        attribution.put("keyword", c.keyword());
        attribution.put("landing_page", c.landingPage());
        attribution.put("client_id", c.clientId());

        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", c.id());
        call.put("linkedid", c.linkedid());
        call.put("site_id", c.siteId());
        call.put("caller_number", c.callerNumber());
        call.put("called_number", c.calledNumber());
        call.put("class", c.callClass());
        call.put("class_reason", c.classReason());
        call.put("first_time_caller", c.firstTimeCaller());
        call.put("repeat_call", c.repeatCall());
        call.put("started_at", c.startedAt());
        call.put("answered_at", c.answeredAt());
        call.put("ended_at", c.endedAt());
        call.put("ring_seconds", c.ringSeconds());
        call.put("talk_seconds", c.talkSeconds());
        call.put("deal_amount", c.dealAmount());
        call.put("recording_url", recordingUrl(c, callTrackerUrl));
        call.put("attribution", attribution);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("call", call);
        return body;
    }

    /**
     * A recording the PBX keeps (the recordingUrl a SIP redirect's outcome reported) is linked where it is; one
     * MixMonitor wrote to our disk is served by our recording endpoint.
     */
    private static String recordingUrl(CallRecord c, String callTrackerUrl) {
        String stored = c.recordingPath();
        if (stored == null) return null;
        return stored.startsWith("https://") || stored.startsWith("http://") ? stored
                : CallLinks.recording(callTrackerUrl, c.id());
    }

    /** One "phone_call" event; GA4 links it to the visit through the session's client id. */
    static Map<String, Object> ga4(CallRecord c) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("call_id", c.id());
        params.put("call_class", c.callClass() == null ? "unknown" : c.callClass());
        params.put("talk_seconds", c.talkSeconds() == null ? 0 : c.talkSeconds());
        params.put("ring_seconds", c.ringSeconds() == null ? 0 : c.ringSeconds());
        params.put("missed", c.missed());
        params.put("first_time_caller", c.firstTimeCaller());
        if (c.campaign() != null) params.put("campaign", c.campaign());
        if (c.source() != null) params.put("source", c.source());
        if (c.medium() != null) params.put("medium", c.medium());
        if (c.dealAmount() != null) params.put("value", c.dealAmount());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", c.clientId());
        body.put("timestamp_micros", c.startedAt().toEpochMilli() * 1000);
        body.put("events", List.of(Map.of("name", "phone_call", "params", params)));
        return body;
    }
}
