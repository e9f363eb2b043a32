package io.calltrack.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelRecognizerTest {
    final ChannelRecognizer recognizer = new ChannelRecognizer();

    static Channel channel(long id, String name, String source, String medium, String referrerHost) {
        return new Channel(id, 1, name, Channel.Tracking.DYNAMIC, Optional.ofNullable(source),
                Optional.ofNullable(medium), Optional.empty(), Optional.ofNullable(referrerHost), 100);
    }

    final List<Channel> channels = List.of(
            channel(1, "google-ads", "google", "cpc", null),
            channel(2, "partner", null, null, "partner.example"),
            channel(3, "organic", null, null, null),
            channel(4, "direct", null, null, null));

    Optional<String> recognise(String referrer, String source, String medium) {
        return recognizer.recognise(channels, new ChannelRecognizer.Visit(Optional.ofNullable(referrer),
                new VisitorSession.Utm(Optional.ofNullable(source), Optional.ofNullable(medium), Optional.empty(),
                        Optional.empty(), Optional.empty()))).map(Channel::name);
    }

    @Test
    void everyRuleOfAChannelMustMatchCaseInsensitively() {
        assertEquals(Optional.of("google-ads"), recognise("https://www.google.com/", "Google", "CPC"));
        assertEquals(Optional.empty(), recognise(null, "google", "email"), "medium differs");
    }

    @Test
    void referrerHostMatchesTheHostAndItsSubdomainsOnly() {
        assertEquals(Optional.of("partner"), recognise("https://blog.partner.example/post", null, null));
        assertEquals(Optional.of("partner"), recognise("https://partner.example/", null, null));
        assertEquals(Optional.empty(), recognise("https://notpartner.example/", null, null));
    }

    @Test
    void searchEnginesAreOrganicAndNoReferrerIsDirect() {
        assertEquals(Optional.of("organic"), recognise("https://www.google.de/", null, null));
        assertEquals(Optional.of("organic"), recognise("https://duckduckgo.com/", null, null));
        assertEquals(Optional.of("direct"), recognise(null, null, null));
        assertEquals(Optional.of("direct"), recognise("not a url at all", null, null));
    }
}
