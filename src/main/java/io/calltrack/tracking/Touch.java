package io.calltrack.tracking;

import java.time.Instant;
import java.util.Optional;

/**
 * One arrival of a visitor: the campaign it came by (UTM parameters, ad click ids), its landing page and when, and
 * the channel it was recognised as. A session's first touch is how it started; its last touch is the latest paid
 * click of the same visitor within the hold time, and what the session's calls are credited to.
 */
public record Touch(Optional<Instant> at, Optional<Long> channelId, Optional<String> channelName,
                    VisitorSession.Utm utm, Optional<String> landingPage, ClickIds clickIds) {
    public static final Touch NONE = new Touch(Optional.empty(), Optional.empty(), Optional.empty(),
            VisitorSession.Utm.NONE, Optional.empty(), ClickIds.NONE);

    /** An arrival on {@code page} at {@code at}; a click id without {@code utm_source} names its ad network. */
    public static Touch arrival(Instant at, Optional<String> page, VisitorSession.Utm utm, ClickIds clickIds) {
        return new Touch(Optional.of(at), Optional.empty(), Optional.empty(), clickIds.complete(utm), page, clickIds);
    }

    /** What a static number knows: its channel, nothing of a visit. */
    public static Touch ofChannel(Optional<Long> channelId, Optional<String> channelName) {
        return new Touch(Optional.empty(), channelId, channelName, VisitorSession.Utm.NONE, Optional.empty(),
                ClickIds.NONE);
    }

    public Touch withChannel(Optional<Channel> channel) {
        return new Touch(at, channel.map(Channel::id), channel.map(Channel::name), utm, landingPage, clickIds);
    }

    public Optional<String> source() {
        return utm.source();
    }

    public Optional<String> medium() {
        return utm.medium();
    }

    public Optional<String> campaign() {
        return utm.campaign();
    }

    /** The search keyword ({@code utm_term}). */
    public Optional<String> keyword() {
        return utm.term();
    }

    /** A campaign's click: UTM campaign parameters or an ad click id. A direct visit or a page of the site is none. */
    public boolean isClick() {
        return !utm.isEmpty() || !clickIds.isEmpty();
    }

    /**
     * Whether this arrival takes the session's attribution over from its last touch {@code current}: it is a click, and
     * not {@code current}'s own (reloading the landing page repeats the click, it is no new one). A visit without
     * campaign parameters never does: calls are credited to the last non-direct click, as Metrica and GA credit them.
     */
    public boolean replaces(Touch current) {
        return isClick() && !(utm.equals(current.utm) && clickIds.equals(current.clickIds));
    }
}
