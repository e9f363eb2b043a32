package io.calltrack.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Takes secrets out of what the audit log keeps of a resource: a field whose name says it holds one (a secret, a
 * token, a password, an API key) becomes {@value #REDACTED} when it is set, and a URL keeps its scheme, host and path
 * but not its user info or its query's values (a receiver URL may carry a token, GA4's carries the api_secret).
 * By name rather than by type, so a new secret field named as such is redacted without a change here.
 */
public final class SecretRedaction {
    public static final String REDACTED = "[redacted]";
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(secret|token|password|passwd|api[-_]?key|credential|signature).*");
    private static final Pattern QUERY_VALUE = Pattern.compile("=[^&]*");

    private SecretRedaction() {}

    /** A copy of {@code node} without secrets. */
    public static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = ((ObjectNode) node).objectNode();
            node.fields().forEachRemaining(f -> out.set(f.getKey(),
                    SECRET_NAME.matcher(f.getKey()).matches() && !f.getValue().isNull()
                            ? TextNode.valueOf(REDACTED) : redact(f.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            node.forEach(e -> out.add(redact(e)));
            return out;
        }
        if (node.isTextual() && node.textValue().contains("://")) return TextNode.valueOf(url(node.textValue()));
        return node;
    }

    private static String url(String text) {
        try {
            URI u = new URI(text);
            if (u.getScheme() == null || u.getRawAuthority() == null) return text;
            String host = u.getHost() == null ? REDACTED : u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
            String userInfo = u.getRawUserInfo() == null ? "" : REDACTED + "@";
            String query = u.getRawQuery() == null ? "" : "?" + QUERY_VALUE.matcher(u.getRawQuery()).replaceAll("=" + REDACTED);
            return u.getScheme() + "://" + userInfo + host + (u.getRawPath() == null ? "" : u.getRawPath()) + query;
        } catch (URISyntaxException e) {
            return REDACTED; // not parsable: nothing of it is known to be harmless
        }
    }
}
