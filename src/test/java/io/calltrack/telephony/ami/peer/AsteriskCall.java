package io.calltrack.telephony.ami.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the AMI events a real Asterisk emits for a call, field for field as documented for Asterisk 18-22
 * (channel snapshot fields on every channel event, {@code Dest}/{@code Transferer}/... prefixes for the other
 * party), with {@code Timestamp:} as sent under {@code timestampevents=yes}. The clock only moves on {@link #tick}.
 */
public final class AsteriskCall {
    private final AmiPeer peer;
    private Instant now;

    /** One channel as Asterisk names it; linkedid is the uniqueid of the oldest channel of its call. */
    public record Chan(String name, String uniqueid, String linkedid, String callerNum, String context, String exten) {}

    public AsteriskCall(AmiPeer peer, Instant start) {
        this.peer = peer;
        this.now = start;
    }

    public Instant now() {
        return now;
    }

    public AsteriskCall tick(long seconds) {
        now = now.plus(Duration.ofSeconds(seconds));
        return this;
    }

    public void newchannel(Chan c) {
        Map<String, String> f = header();
        f.putAll(snapshot("", c, "Ring"));
        peer.send("Newchannel", f);
    }

    public void dialBegin(Chan caller, Chan dest, String dialString) {
        newchannel(dest);
        Map<String, String> f = header();
        f.putAll(snapshot("", caller, "Ring"));
        f.putAll(snapshot("Dest", dest, "Down"));
        f.put("DialString", dialString);
        peer.send("DialBegin", f);
    }

    public void dialEnd(Chan caller, Chan dest, String status) {
        Map<String, String> f = header();
        f.putAll(snapshot("", caller, "Ring"));
        f.putAll(snapshot("Dest", dest, status.equals("ANSWER") ? "Up" : "Ringing"));
        f.put("DialStatus", status);
        peer.send("DialEnd", f);
        if (!status.equals("ANSWER")) hangup(dest, status.equals("BUSY") ? 17 : 16,
                status.equals("BUSY") ? "User busy" : "Normal Clearing");
    }

    public void bridge(String bridgeId, Chan... channels) {
        Map<String, String> create = header();
        create.putAll(bridgeFields(bridgeId, 0));
        peer.send("BridgeCreate", create);
        int n = 0;
        for (Chan c : channels) {
            Map<String, String> f = header();
            f.putAll(bridgeFields(bridgeId, ++n));
            f.putAll(snapshot("", c, "Up"));
            peer.send("BridgeEnter", f);
        }
    }

    public void bridgeEnter(String bridgeId, int count, Chan c) {
        Map<String, String> f = header();
        f.putAll(bridgeFields(bridgeId, count));
        f.putAll(snapshot("", c, "Up"));
        peer.send("BridgeEnter", f);
    }

    public void bridgeLeave(String bridgeId, int count, Chan c) {
        Map<String, String> f = header();
        f.putAll(bridgeFields(bridgeId, count));
        f.putAll(snapshot("", c, "Up"));
        peer.send("BridgeLeave", f);
    }

    /**
     * A whole answered call: the caller's channel appears, dials {@code mgr} (a PJSIP channel), it rings
     * {@code ringSeconds}, answers, both talk {@code talkSeconds} in {@code bridge}, the caller hangs up first.
     */
    public void answeredCall(Chan caller, Chan mgr, String bridge, long ringSeconds, long talkSeconds) {
        newchannel(caller);
        dialBegin(caller, mgr, mgr.name().substring(0, mgr.name().lastIndexOf('-')).replace("PJSIP/", ""));
        tick(ringSeconds);
        dialEnd(caller, mgr, "ANSWER");
        bridge(bridge, caller, mgr);
        tick(talkSeconds);
        hangup(caller, 16, "Normal Clearing");
        hangup(mgr, 16, "Normal Clearing");
    }

    public void varSet(Chan c, String variable, String value) {
        Map<String, String> f = header();
        f.putAll(snapshot("", c, "Up"));
        f.put("Variable", variable);
        f.put("Value", value);
        peer.send("VarSet", f);
    }

    public void hangup(Chan c, int cause, String text) {
        Map<String, String> f = header();
        f.putAll(snapshot("", c, "Up"));
        f.put("Cause", String.valueOf(cause));
        f.put("Cause-txt", text);
        peer.send("Hangup", f);
    }

    /** BlindTransfer as Asterisk 22 documents it: transferer, transferee, the bridge, context and extension. */
    public void blindTransfer(String bridgeId, Chan transferer, Chan transferee, String context, String extension) {
        Map<String, String> f = header();
        f.put("Result", "Success");
        f.putAll(snapshot("Transferer", transferer, "Up"));
        f.putAll(snapshot("Transferee", transferee, "Up"));
        f.putAll(prefixed("", bridgeFields(bridgeId, 2)));
        f.put("IsExternal", "No");
        f.put("Context", context);
        f.put("Extension", extension);
        peer.send("BlindTransfer", f);
    }

    /** AttendedTransfer with DestType Bridge: the target's bridge is merged into the transferee's. */
    public void attendedTransfer(String origBridge, Chan origTransferer, String secondBridge, Chan secondTransferer,
                                 Chan transferee, Chan target) {
        Map<String, String> f = header();
        f.put("Result", "Success");
        f.putAll(snapshot("OrigTransferer", origTransferer, "Up"));
        f.putAll(prefixed("Orig", bridgeFields(origBridge, 2)));
        f.putAll(snapshot("SecondTransferer", secondTransferer, "Up"));
        f.putAll(prefixed("Second", bridgeFields(secondBridge, 2)));
        f.put("DestType", "Bridge");
        f.put("DestBridgeUniqueid", origBridge);
        f.putAll(snapshot("TransferTarget", target, "Up"));
        f.putAll(snapshot("Transferee", transferee, "Up"));
        peer.send("AttendedTransfer", f);
    }

    private Map<String, String> header() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Privilege", "call,all");
        f.put("Timestamp", String.format(Locale.ROOT, "%d.%06d", now.getEpochSecond(), now.getNano() / 1000));
        return f;
    }

    private static Map<String, String> snapshot(String prefix, Chan c, String state) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(prefix + "Channel", c.name());
        f.put(prefix + "ChannelState", switch (state) {
            case "Down" -> "0";
            case "Ring" -> "4";
            case "Ringing" -> "5";
            default -> "6";
        });
        f.put(prefix + "ChannelStateDesc", state);
        f.put(prefix + "CallerIDNum", c.callerNum());
        f.put(prefix + "CallerIDName", "<unknown>");
        f.put(prefix + "ConnectedLineNum", "<unknown>");
        f.put(prefix + "ConnectedLineName", "<unknown>");
        f.put(prefix + "Language", "en");
        f.put(prefix + "AccountCode", "");
        f.put(prefix + "Context", c.context());
        f.put(prefix + "Exten", c.exten());
        f.put(prefix + "Priority", "1");
        f.put(prefix + "Uniqueid", c.uniqueid());
        f.put(prefix + "Linkedid", c.linkedid());
        return f;
    }

    private static Map<String, String> bridgeFields(String bridgeId, int channels) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("BridgeUniqueid", bridgeId);
        f.put("BridgeType", "basic");
        f.put("BridgeTechnology", "simple_bridge");
        f.put("BridgeCreator", "<unknown>");
        f.put("BridgeName", "<unknown>");
        f.put("BridgeNumChannels", String.valueOf(channels));
        f.put("BridgeVideoSourceMode", "none");
        return f;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> fields) {
        Map<String, String> f = new LinkedHashMap<>();
        fields.forEach((k, v) -> f.put(prefix + k, v));
        return f;
    }
}
