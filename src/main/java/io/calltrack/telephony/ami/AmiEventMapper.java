package io.calltrack.telephony.ami;

import io.calltrack.calls.CallSignal;
import io.calltrack.calls.CallSignal.Kind;
import io.calltrack.calls.DialStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asteriskjava.manager.event.AttendedTransferEvent;
import org.asteriskjava.manager.event.BlindTransferEvent;
import org.asteriskjava.manager.event.BridgeDestroyEvent;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.VarSetEvent;

/**
 * Translates AMI events into call signals, and nothing more. The caller's channel is the one whose Uniqueid equals
 * the Linkedid (the oldest channel of the call); its Hangup ends the call. Bridges are followed so that whoever is
 * bridged with the caller (also after an attended transfer, where that party's channels have another Linkedid)
 * is known. Keys are derived from Asterisk's unique ids so a re-sent event maps to the same key.
 */
final class AmiEventMapper {
    static final String CALL_ID_VARIABLE = "CALLTRACK_CALL_ID";
    static final String RECORDING_VARIABLE = "MIXMONITOR_FILENAME";

    private final Map<String, Long> callIds = new HashMap<>();
    private final Map<String, String> callerOfBridge = new HashMap<>();
    private final Map<String, Set<String>> bridgeMembers = new HashMap<>();
    /** The bridges each followed call's caller entered, so forgetting a call is not a scan of every bridge. */
    private final Map<String, Set<String>> bridgesOfCall = new HashMap<>();

    /** The signals an event means for calls; an event without the ids that identify a call (malformed) means none. */
    synchronized List<CallSignal> map(ManagerEvent e) {
        return signals(e).stream().filter(s -> s.linkedid() != null && !s.key().contains("/null")).toList();
    }

    private List<CallSignal> signals(ManagerEvent e) {
        Instant at = at(e);
        if (e instanceof VarSetEvent v) return varSet(v, at);
        if (e instanceof DialBeginEvent d) {
            return List.of(signal(d.getLinkedId(), "dialbegin/" + d.getDestUniqueId(), Kind.DIAL_BEGIN, at,
                    d.getDestChannel(), d.getDialString(), null, null));
        }
        if (e instanceof DialEndEvent d) {
            return List.of(CallSignal.dialEnd(d.getLinkedId(), callIds.get(d.getLinkedId()),
                    "dialend/" + d.getDestUniqueId(), at, d.getDestChannel(), DialStatus.of(d.getDialStatus())));
        }
        if (e instanceof BridgeEnterEvent b) return bridgeEnter(b, at);
        if (e instanceof BridgeLeaveEvent b) {
            Set<String> members = bridgeMembers.get(b.getBridgeUniqueId());
            if (members != null) members.remove(b.getChannel());
            return List.of();
        }
        if (e instanceof BridgeDestroyEvent b) {
            bridgeMembers.remove(b.getBridgeUniqueId());
            String caller = callerOfBridge.remove(b.getBridgeUniqueId());
            if (caller != null) {
                Set<String> bridges = bridgesOfCall.get(caller);
                if (bridges != null) bridges.remove(b.getBridgeUniqueId());
            }
            return List.of();
        }
        if (e instanceof BlindTransferEvent t) {
            return List.of(signal(t.getTransfereeLinkedId(), "blindtransfer/" + t.getTransfererUniqueId() + "/" + at.toEpochMilli(),
                    Kind.TRANSFER, at, t.getExtension(), "blind", null, null));
        }
        if (e instanceof AttendedTransferEvent t) {
            return List.of(signal(t.getOrigTransfererLinkedId(), "attendedtransfer/" + t.getOrigTransfererUniqueid() + "/" + at.toEpochMilli(),
                    Kind.TRANSFER, at, t.getTransferTargetChannel(), "attended", null, null));
        }
        if (e instanceof CdrEvent cdr && cdr.getDestinationChannel() != null && !cdr.getDestinationChannel().isEmpty()) {
            // the leg the caller's channel dialled; its UniqueID is the caller's (Cdr carries no Linkedid)
            Integer billed = cdr.getBillableSeconds();
            return List.of(signal(cdr.getUniqueId(), "cdr/" + cdr.getUniqueId() + "/" + cdr.getDestinationChannel(),
                    Kind.CDR, at, cdr.getDestinationChannel(), billed == null ? null : billed.toString(), null,
                    cdr.getDisposition()));
        }
        if (e instanceof HangupEvent h && h.getUniqueId() != null && h.getUniqueId().equals(h.getLinkedId())) {
            CallSignal s = signal(h.getLinkedId(), "hangup/" + h.getUniqueId(), Kind.ENDED, at, h.getChannel(), null,
                    h.getCause(), h.getCauseTxt());
            forget(h.getLinkedId());
            return List.of(s);
        }
        return List.of();
    }

    /**
     * The signal that closes a call whose caller vanished while we could not see events (same key as its Hangup);
     * what was remembered of the call is forgotten, since its Hangup will never come.
     */
    synchronized CallSignal endedWhileAway(String linkedid, Instant lastKnownAlive) {
        forget(linkedid);
        return new CallSignal(linkedid, null, "hangup/" + linkedid, Kind.ENDED, lastKnownAlive, null, null, null,
                "the call ended while calltrack could not see Asterisk (AMI disconnected or calltrack stopped)", true);
    }

    private List<CallSignal> varSet(VarSetEvent v, Instant at) {
        if (CALL_ID_VARIABLE.equals(v.getVariable()) && v.getLinkedId() != null) {
            try {
                callIds.put(v.getLinkedId(), Long.parseLong(v.getValue().trim()));
            } catch (NumberFormatException | NullPointerException ignored) {
                // not set by calltrack: the call is followed by its Linkedid alone
            }
            return List.of();
        }
        if (RECORDING_VARIABLE.equals(v.getVariable()) && v.getValue() != null && !v.getValue().isBlank()) {
            return List.of(signal(v.getLinkedId(), "recording/" + v.getUniqueId(), Kind.RECORDING, at, v.getChannel(),
                    v.getValue(), null, null));
        }
        return List.of();
    }

    private List<CallSignal> bridgeEnter(BridgeEnterEvent b, Instant at) {
        String bridge = b.getBridgeUniqueId();
        Set<String> members = bridgeMembers.computeIfAbsent(bridge, k -> new LinkedHashSet<>());
        List<CallSignal> out = new ArrayList<>();
        if (b.getUniqueId() != null && b.getUniqueId().equals(b.getLinkedId())) {
            callerOfBridge.put(bridge, b.getLinkedId());
            bridgesOfCall.computeIfAbsent(b.getLinkedId(), k -> new LinkedHashSet<>()).add(bridge);
            for (String other : members) out.add(bridged(b.getLinkedId(), bridge, other, at));
        } else if (callerOfBridge.containsKey(bridge)) {
            out.add(bridged(callerOfBridge.get(bridge), bridge, b.getChannel(), at));
        }
        members.add(b.getChannel());
        return out;
    }

    private CallSignal bridged(String callerLinkedid, String bridge, String channel, Instant at) {
        return signal(callerLinkedid, "bridge/" + bridge + "/" + channel, Kind.BRIDGED, at, channel, null, null, null);
    }

    private CallSignal signal(String linkedid, String key, Kind kind, Instant at, String channel, String value,
                              Integer cause, String text) {
        return new CallSignal(linkedid, callIds.get(linkedid), key, kind, at, channel, value, cause, text, false);
    }

    private void forget(String linkedid) {
        callIds.remove(linkedid);
        Set<String> bridges = bridgesOfCall.remove(linkedid);
        if (bridges == null) return;
        for (String bridge : bridges) {
            callerOfBridge.remove(bridge);
            bridgeMembers.remove(bridge);
        }
    }

    /** Asterisk's own time when timestampevents=yes (recommended), else the time the event was read. */
    private static Instant at(ManagerEvent e) {
        Double ts = e.getTimestamp();
        return ts != null ? Instant.ofEpochMilli(Math.round(ts * 1000)) : e.getDateReceived().toInstant();
    }
}
