package io.calltrack.tracking;

import java.util.Optional;

/**
 * How a site's traffic is recognised (UTM and referrer-host rules, or the built-in names {@code organic} and
 * {@code direct}) and whether its visitors get the channel's static number or one from the dynamic pool.
 */
public record Channel(long id, long siteId, String name, Tracking tracking, Optional<String> utmSource,
                      Optional<String> utmMedium, Optional<String> utmCampaign, Optional<String> referrerHost,
                      int priority) {

    public enum Tracking { STATIC, DYNAMIC }

    public static final String ORGANIC = "organic";
    public static final String DIRECT = "direct";

    public boolean hasRules() {
        return utmSource.isPresent() || utmMedium.isPresent() || utmCampaign.isPresent() || referrerHost.isPresent();
    }
}
