package io.calltrack.config;

import io.calltrack.routing.DialStrings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every setting calltrack reads, in one typed place. Built once at start by {@link #from(ConfigSource)}, which
 * refuses unknown keys and fails on the first invalid value with a message naming its key. The keys are the ones
 * {@link #read} asks for ({@link #keys()}): there is no second list of names to keep in step.
 */
public record CalltrackConfig(
        Database database,
        Http http,
        Agi agi,
        Ami ami,
        Sip sip,
        Recording recording,
        Tracking tracking,
        Path dataDir,
        Outbox outbox,
        Routing routing,
        Access access,
        Transcription transcription) {

    /**
     * {@code url} empty means: start the embedded PostgreSQL with its data under {@code embeddedDataDir}, its
     * programs unpacked under {@code embeddedBinariesDir}, the application's role's password generated into
     * {@code embeddedPasswordFile} ({@code <data.dir>/db-password}). {@code connectionTimeout}: how long a
     * caller waits for a free pool connection before it fails.
     */
    public record Database(Optional<String> url, String user, String password, int poolSize,
                           Path embeddedDataDir, int embeddedPort, Path embeddedBinariesDir,
                           Path embeddedPasswordFile, Duration connectionTimeout) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /**
     * {@code adminToken} guards the management API; empty means one is generated into the data dir on first start.
     * {@code headerTimeout} / {@code bodyTimeout}: how long a request's headers may take from its first byte, and
     * its body from its headers (a client trickling one byte a second is cut off); {@code maxConnectionsPerIp}: open
     * connections one address may hold; {@code drainTimeout}: how long a stop lets requests in flight finish;
     * {@code workerQueue}: requests waiting for a worker thread (beyond it 503); {@code maxBodySize}: bytes of a
     * request body (beyond it 413); {@code idleTimeout}: how long a connection may stay silent before it is closed.
     * {@code publicUrl}: the address browsers use (behind a reverse proxy, the proxy's), e.g.
     * {@code https://calltrack.example.com}: the origin a browser's change must come from, and https makes the session
     * cookie Secure.
     */
    public record Http(String host, int port, Optional<String> adminToken, int workerThreads, Duration headerTimeout,
                       Duration bodyTimeout, int maxConnectionsPerIp, Duration drainTimeout, int workerQueue,
                       int maxBodySize, Duration idleTimeout, Optional<URI> publicUrl) {}

    /**
     * {@code maxLineLength}, {@code maxHeaderLines} and {@code headerTimeout} bound what one FastAGI connection may
     * send before calltrack drops it as malformed. {@code drainTimeout}: how long a stop lets FastAGI sessions in
     * progress finish before their connections are closed.
     */
    public record Agi(String host, int port, int executorThreads, int executorQueue,
                      String fallbackDial, Duration fallbackDialTimeout, Duration decisionTimeout,
                      Duration trackIdTimeout, int trackIdTries, int trackIdDigits, String trackIdPrompt,
                      int maxLineLength, int maxHeaderLines, Duration headerTimeout, Duration drainTimeout) {}

    /**
     * AMI is optional: without a host the server runs and calls stay open until an outcome arrives.
     * {@code queueCapacity}: call signals that may wait in memory for the database before they go to the spool.
     */
    public record Ami(Optional<String> host, int port, String username, String secret,
                      Duration reconnectMin, Duration reconnectMax, int queueCapacity) {
        public boolean enabled() {
            return host.isPresent();
        }
    }

    /**
     * {@code fallbackContact}: where INVITEs go when routing cannot decide (database down, overload); absent
     * means such INVITEs are answered {@code 480 Temporarily Unavailable} so the PBX uses its own default route.
     * {@code executorThreads}/{@code executorQueue} bound the routing decisions in flight. {@code optionsPort}: the
     * port OPTIONS probes to managers leave from (0: any free one), apart from {@code port} so INVITE load cannot
     * hold up their answers. {@code udpBuffer}: bytes of kernel buffer for each UDP socket's receiving and sending,
     * what a pause of the process can leave waiting before datagrams are dropped.
     */
    public record Sip(boolean enabled, String host, int port, int optionsPort, Duration optionsInterval,
                      int optionsMissesDown, Optional<String> fallbackContact, int executorThreads,
                      int executorQueue, int udpBuffer) {}

    public record Recording(Path directory) {}

    /**
     * {@code defaultRegion}: ISO country for numbers written without a country code (Asterisk DNIDs often are).
     * {@code clientIpHeader}: behind a reverse proxy, the header carrying the visitor's address, read only from
     * {@code trustedProxies} (addresses or CIDR ranges). {@code poolLeasesPerIp}: pool numbers one address may hold
     * at once (further visitors from it see the fallback number). The snippet heartbeats every third of the site's
     * hold time, kept from {@code heartbeatMin} to {@code heartbeatMax}. {@code poolOrderMaxAge}: how old the
     * in-memory order of a site's pool numbers may get before it is reloaded from the database.
     * {@code unseenLeaseHold}: how long a session that never heartbeat (no page of it was ever visible) holds its
     * pool number.
     */
    public record Tracking(String defaultRegion, List<String> botUserAgentPatterns, int sessionStartsPerIpPerMinute,
                           int sessionStartsPerSitePerSecond, Optional<String> clientIpHeader,
                           List<String> trustedProxies, int poolLeasesPerIp, int heartbeatsPerSessionPerMinute,
                           Duration heartbeatMin, Duration heartbeatMax, Duration poolOrderMaxAge,
                           Duration unseenLeaseHold) {}

    /**
     * The job queue (webhooks, analytics uploads): polled every {@code pollInterval}; a failed attempt waits
     * {@code initialBackoff}, doubling up to {@code maxBackoff}; dead after {@code maxAttempts} or {@code maxAge}.
     * {@code workers} jobs run at once, at most {@code perTargetConcurrency} of one target (receiver host,
     * analytics account); a claimed job whose instance stops renewing its {@code lease} is run again;
     * done jobs are kept {@code keepDelivered}.
     */
    public record Outbox(Duration pollInterval, Duration initialBackoff, Duration maxBackoff, int maxAttempts,
                         Duration maxAge, Duration requestTimeout, int workers, int perTargetConcurrency,
                         Duration lease, Duration keepDelivered) {
        /** The same queue settings with another number of worker threads (a kind with workers of its own). */
        public Outbox withWorkers(int n) {
            return new Outbox(pollInterval, initialBackoff, maxBackoff, maxAttempts, maxAge, requestTimeout, n,
                    n, lease, keepDelivered);
        }
    }

    /**
     * Transcription of recordings: off unless {@code enabled}; a site without its own setting uses {@code language};
     * {@code models}: a Vosk model directory per language (English without one: the shipped model); at most
     * {@code workers} calls are transcribed at once; a completed call's transcription is due {@code startDelay} after
     * it ends (MixMonitor closes the recording just after the hangup).
     */
    public record Transcription(boolean enabled, String language, int workers, Map<String, Path> models,
                                Duration startDelay) {}

    /** {@code closedHoursRingTime}: how long the site's closed-hours destination rings. */
    public record Routing(Duration closedHoursRingTime) {}

    /**
     * Users and their sessions. {@code ownerLogin}/{@code ownerPassword}: the owner created at first start when no
     * user exists (no password: one is generated and logged once). A browser session ends after
     * {@code sessionIdleTimeout} without a request, or {@code sessionMaxAge} after its login whatever happens.
     * Logins are refused (429) after {@code loginFailuresPerAccount} failures for one login or
     * {@code loginFailuresPerIp} from one address within {@code loginFailureWindow}.
     * {@code bootstrapTokenEnabled}: false retires the bootstrap admin token ({@code admin.token}).
     * {@code auditRetention}: how long audit log entries are kept before the hourly clean-up deletes them.
     */
    public record Access(String ownerLogin, Optional<String> ownerPassword, Duration sessionIdleTimeout,
                         Duration sessionMaxAge, int loginFailuresPerAccount, int loginFailuresPerIp,
                         Duration loginFailureWindow, boolean bootstrapTokenEnabled, Duration auditRetention) {}

    /** 0: one per two cores (recognition is CPU-bound; the rest is left to the calls). */
    private static int workers(int configured) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** What a path may be made of to go into MixMonitor's arguments unchanged. */
    private static final java.util.regex.Pattern MIXMONITOR_SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9/._+@=:~-]+");

    private static final String DEFAULT_BOTS =
            "bot,crawler,spider,slurp,bingpreview,facebookexternalhit,headlesschrome,lighthouse,"
                    + "curl,wget,python-requests,go-http-client,java/,okhttp,httpclient";

    /** The configuration {@code c} gives; unknown keys and invalid values are a {@link ConfigException}. */
    public static CalltrackConfig from(ConfigSource c) {
        c.requireKnown(keys());
        return read(c);
    }

    /** Every key with its default and range, in the order {@link #read} asks for them: what the defaults ask for. */
    public static List<ConfigKey> keys() {
        ConfigSource defaults = ConfigSource.of(Map.of());
        read(defaults);
        return defaults.keys();
    }

    /** Reads every key unconditionally, so that reading the defaults lists them all, and checks the values. */
    private static CalltrackConfig read(ConfigSource c) {
        Path dataDir = c.path("data.dir", "./data");
        Optional<String> url = c.optional("db.url");
        url.filter(u -> !u.startsWith("jdbc:postgresql:")).ifPresent(u -> {
            throw new ConfigException("db.url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), got '" + u + "'");
        });
        Database database = new Database(
                url,
                c.string("db.user", "postgres"),
                c.string("db.password", ""),
                c.integer("db.pool-size", 10, 1, 500),
                c.path("db.embedded.data-dir", dataDir.resolve("pg").toString()),
                c.integer("db.embedded.port", 0, 0, 65535),
                c.path("db.embedded.binaries-dir", dataDir.resolve("pg-bin").toString()),
                dataDir.resolve("db-password"),
                c.duration("db.connection-timeout", Duration.ofSeconds(5),
                        Duration.ofMillis(250), Duration.ofMinutes(1)));
        int httpWorkers = c.integer("http.worker-threads", 16, 1, 512);
        Http http = new Http(
                c.string("http.host", "0.0.0.0"),
                c.integer("http.port", 8080, 0, 65535),
                c.optional("admin.token"),
                httpWorkers,
                c.duration("http.header-timeout", Duration.ofSeconds(10),
                        Duration.ofMillis(100), Duration.ofMinutes(5)),
                c.duration("http.body-timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(30)),
                c.integer("http.max-connections-per-ip", 256, 1, 1_000_000),
                c.duration("http.drain-timeout", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10)),
                c.integer("http.worker-queue", httpWorkers * 64, 1, 1_000_000),
                c.integer("http.max-body-size", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
                c.duration("http.idle-timeout", Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofDays(1)),
                c.optional("http.public-url").map(CalltrackConfig::publicUrl));
        Agi agi = new Agi(
                c.string("agi.host", "0.0.0.0"),
                c.integer("agi.port", 4573, 0, 65535),
                c.integer("agi.executor-threads", 16, 1, 512),
                c.integer("agi.executor-queue", 1000, 1, 1_000_000),
                c.string("agi.fallback-dial", "PJSIP/reception"),
                c.duration("agi.fallback-dial-timeout", Duration.ofSeconds(30),
                        Duration.ofSeconds(1), Duration.ofHours(1)),
                c.duration("agi.decision-timeout", Duration.ofSeconds(3),
                        Duration.ofMillis(100), Duration.ofMinutes(1)),
                c.duration("agi.trackid-timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(2)),
                c.integer("agi.trackid-tries", 2, 1, 5),
                c.integer("agi.trackid-digits", 4, 3, 8),
                c.string("agi.trackid-prompt", "calltrack/enter-track-id"),
                c.integer("agi.max-line-length", 8192, 256, 1_048_576),
                c.integer("agi.max-header-lines", 200, 30, 10_000),
                c.duration("agi.header-timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)),
                c.duration("agi.drain-timeout", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)));
        Ami ami = new Ami(
                c.optional("ami.host"),
                c.integer("ami.port", 5038, 1, 65535),
                c.string("ami.username", "calltrack"),
                c.string("ami.secret", ""),
                c.duration("ami.reconnect-min", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(10)),
                c.duration("ami.reconnect-max", Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofHours(1)),
                c.integer("ami.queue-capacity", 100_000, 100, 10_000_000));
        atLeast("ami.reconnect-max", ami.reconnectMax(), "ami.reconnect-min", ami.reconnectMin());
        checked("agi.fallback-dial", agi.fallbackDial(), DialStrings::asterisk);
        if (ami.enabled() && ami.secret().isEmpty()) {
            throw new ConfigException("ami.secret", "is required when ami.host is set");
        }
        Sip sip = new Sip(
                c.bool("sip.enabled", true),
                c.string("sip.host", "127.0.0.1"),
                c.integer("sip.port", 5070, 0, 65535),
                c.integer("sip.options-port", 0, 0, 65535),
                c.duration("sip.options-interval", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1)),
                c.integer("sip.options-misses-down", 3, 1, 100),
                c.optional("sip.fallback-contact"),
                c.integer("sip.executor-threads", 8, 1, 256),
                c.integer("sip.executor-queue", 1000, 1, 100_000),
                c.integer("sip.udp-buffer", 4 * 1024 * 1024, 65_535, 256 * 1024 * 1024));
        sip.fallbackContact().ifPresent(u -> checked("sip.fallback-contact", u, DialStrings::sipUri));
        Recording recording = new Recording(c.path("recording.dir", "/var/spool/asterisk/monitor/calltrack"));
        if (!MIXMONITOR_SAFE.matcher(recording.directory().toString()).matches()) {
            throw new ConfigException("recording.dir", "may hold only letters, digits and / . _ - + @ = : ~ "
                    + "(it goes into MixMonitor's arguments, where , ( ) | quotes, backslashes, spaces and ${ } "
                    + "have meanings of their own), got '" + recording.directory() + "'");
        }
        String region = c.string("tracking.default-region", "US").toUpperCase(java.util.Locale.ROOT);
        if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw new ConfigException("tracking.default-region", "unknown ISO country code '" + region + "'");
        }
        Tracking tracking = new Tracking(
                region,
                Arrays.stream(c.string("tracking.bot-user-agents", DEFAULT_BOTS).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList(),
                c.integer("tracking.session-starts-per-ip-per-minute", 60, 1, 1_000_000),
                c.integer("tracking.session-starts-per-site-per-second", 2000, 1, 10_000_000),
                c.optional("tracking.client-ip-header"),
                Arrays.stream(c.string("tracking.trusted-proxies", "").split(","))
                        .map(String::trim).filter(t -> !t.isEmpty()).toList(),
                c.integer("tracking.pool-leases-per-ip", 4, 1, 100_000),
                c.integer("tracking.heartbeats-per-session-per-minute", 12, 1, 600),
                c.duration("tracking.heartbeat-min", Duration.ofSeconds(10),
                        Duration.ofSeconds(1), Duration.ofMinutes(10)),
                c.duration("tracking.heartbeat-max", Duration.ofSeconds(60),
                        Duration.ofSeconds(1), Duration.ofHours(1)),
                c.duration("tracking.pool-order-max-age", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1)),
                c.duration("tracking.unseen-lease-hold", Duration.ofMinutes(2), Duration.ofSeconds(30),
                        Duration.ofHours(1)));
        atLeast("tracking.heartbeat-max", tracking.heartbeatMax(), "tracking.heartbeat-min", tracking.heartbeatMin());
        long fastestPerMinute = (59 + tracking.heartbeatMin().toSeconds()) / tracking.heartbeatMin().toSeconds();
        if (fastestPerMinute > tracking.heartbeatsPerSessionPerMinute()) {
            throw new ConfigException("tracking.heartbeat-min", "a snippet beating every "
                    + ConfigSource.text(tracking.heartbeatMin()) + " sends " + fastestPerMinute + " heartbeats a "
                    + "minute, more than tracking.heartbeats-per-session-per-minute ("
                    + tracking.heartbeatsPerSessionPerMinute() + ") lets through: raise one or the other");
        }
        if (tracking.clientIpHeader().isPresent() && tracking.trustedProxies().isEmpty()) {
            throw new ConfigException("tracking.client-ip-header", "needs tracking.trusted-proxies (the reverse "
                    + "proxies' addresses or CIDR ranges): from anyone else the header is what the client wrote");
        }
        Outbox outbox = new Outbox(
                c.duration("outbox.poll-interval", Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofHours(1)),
                c.duration("outbox.initial-backoff", Duration.ofSeconds(10),
                        Duration.ofMillis(100), Duration.ofDays(1)),
                c.duration("outbox.max-backoff", Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofDays(7)),
                c.integer("outbox.max-attempts", 30, 1, 1000),
                c.duration("outbox.max-age", Duration.ofHours(48), Duration.ofMinutes(1), Duration.ofDays(365)),
                c.duration("outbox.request-timeout", Duration.ofSeconds(10),
                        Duration.ofMillis(100), Duration.ofMinutes(10)),
                c.integer("outbox.workers", 8, 1, 256),
                c.integer("outbox.per-target-concurrency", 2, 1, 256),
                c.duration("outbox.lease", Duration.ofMinutes(1), Duration.ofSeconds(3), Duration.ofHours(1)),
                c.duration("outbox.keep-delivered", Duration.ofDays(30), Duration.ofHours(1), Duration.ofDays(3650)));
        atLeast("outbox.max-backoff", outbox.maxBackoff(), "outbox.initial-backoff", outbox.initialBackoff());
        Routing routing = new Routing(c.duration("routing.closed-hours-ring-time", Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofHours(1)));
        Access access = new Access(
                c.string("access.owner-login", "owner"),
                c.optional("access.owner-password"),
                c.duration("access.session-idle-timeout", Duration.ofHours(2), Duration.ofMinutes(1), Duration.ofDays(30)),
                c.duration("access.session-max-age", Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofDays(365)),
                c.integer("access.login-failures-per-account", 5, 1, 1000),
                c.integer("access.login-failures-per-ip", 20, 1, 100_000),
                c.duration("access.login-failure-window", Duration.ofMinutes(15), Duration.ofSeconds(1),
                        Duration.ofDays(1)),
                c.bool("admin.token-enabled", true),
                c.duration("access.audit-retention", Duration.ofDays(400), Duration.ofDays(1), Duration.ofDays(3650)));
        atLeast("access.session-max-age", access.sessionMaxAge(), "access.session-idle-timeout",
                access.sessionIdleTimeout());
        if (access.ownerLogin().length() > 200 || access.ownerLogin().chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException("access.owner-login", "must be 1 to 200 characters without control characters");
        }
        String language = c.string("transcription.language", "en");
        if (!language.matches("[a-z]{2}")) {
            throw new ConfigException("transcription.language", "a two-letter code such as en or ru, got '"
                    + language + "'");
        }
        Map<String, Path> models = new java.util.TreeMap<>();
        c.optional("transcription.models.en").ifPresent(d -> models.put("en", Path.of(d)));
        c.optional("transcription.models.ru").ifPresent(d -> models.put("ru", Path.of(d)));
        Transcription transcription = new Transcription(c.bool("transcription.enabled", false), language,
                workers(c.integer("transcription.workers", 0, 0, 256)),
                models, c.duration("transcription.start-delay", Duration.ofSeconds(3), Duration.ZERO,
                        Duration.ofHours(1)));
        return new CalltrackConfig(database, http, agi, ami, sip, recording, tracking, dataDir, outbox, routing,
                access, transcription);
    }

    /** An http or https URL with a host and nothing after it but an optional slash: an origin browsers use. */
    private static URI publicUrl(String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (uri.getHost() == null || uri.getScheme() == null
                    || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(value, "not an origin");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("http.public-url", "must be the address browsers use, scheme and host (and "
                    + "port) only, e.g. https://calltrack.example.com; got '" + value + "'");
        }
    }

    /** A pair of bounds the wrong way round, refused by the name of the upper one. */
    private static void atLeast(String key, Duration value, String lowerKey, Duration lower) {
        if (value.compareTo(lower) < 0) {
            throw new ConfigException(key, "must be at least " + lowerKey + " (" + ConfigSource.text(lower) + "), got "
                    + ConfigSource.text(value));
        }
    }

    /** A destination setting, refused at start rather than at the first call that needs it. */
    private static void checked(String key, String value, UnaryOperator<String> check) {
        try {
            check.apply(value);
        } catch (DialStrings.Invalid e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
