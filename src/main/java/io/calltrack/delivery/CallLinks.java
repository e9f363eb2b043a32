package io.calltrack.delivery;

/** Links to a call and its recording on this server's public URL (null when no public URL is configured). */
final class CallLinks {
    private CallLinks() {}

    static String call(String baseUrl, long callId) {
        return baseUrl == null ? null : trim(baseUrl) + "/v1/calls/" + callId;
    }

    static String recording(String baseUrl, long callId) {
        return baseUrl == null ? null : trim(baseUrl) + "/v1/calls/" + callId + "/recording";
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
