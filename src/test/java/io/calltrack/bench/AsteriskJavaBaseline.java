package io.calltrack.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.Json;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.calls.CallIntake;
import io.calltrack.calls.CallIntake.IncomingCall;
import io.calltrack.calls.CallIntake.Intake;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallSignal;
import io.calltrack.calls.DialStatus;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.routing.Destination;
import io.calltrack.routing.RoutePlan;
import io.calltrack.routing.RoutingRepository;
import io.calltrack.routing.RoutingService;
import io.calltrack.routing.Telephony;
import io.calltrack.tracking.CallAttributor;
import io.calltrack.tracking.PhoneNumbers;
import io.calltrack.tracking.SiteRepository;
import java.time.Duration;
import java.time.Instant;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;

/**
 * The benchmark's baseline: asterisk-java's own FastAGI server (a thread per call) running the same incoming-call
 * work as calltrack's {@code IncomingCallScript} against the same database: the same domain calls, the same
 * commands in the same order.
 * Usage: {@code AsteriskJavaBaseline <agi port> <jdbc url> <threads> <database connections>}.
 */
public final class AsteriskJavaBaseline implements AgiScript {
    private final CallIntake intake;
    private final CallRepository calls;

    AsteriskJavaBaseline(CallIntake intake, CallRepository calls) {
        this.intake = intake;
        this.calls = calls;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        String called = request.getArguments().length > 0 ? request.getArguments()[0] : request.getDnid();
        Intake in = intake.begin(new IncomingCall(request.getUniqueId(), called, request.getCallerIdNumber(), "agi",
                Instant.now()));
        channel.setVariable("CALLTRACK_CALL_ID", Long.toString(in.callId()));
        channel.setVariable("CALLTRACK_ATTRIBUTION", in.attribution().kind().dbValue());
        channel.setVariable("CALLTRACK_CHANNEL", in.attribution().channelName().orElse(""));
        channel.setVariable("CALLTRACK_CAMPAIGN", in.attribution().campaign().orElse(""));
        String path = "/var/spool/asterisk/monitor/calltrack/" + in.callId() + ".wav";
        channel.exec("MixMonitor", path + ",b");
        intake.recordingStarted(in.callId(), path);
        RoutePlan plan = intake.route(in, Telephony.ASTERISK);
        int attempt = 0;
        for (Destination d : plan.destinations()) {
            Instant dialledAt = Instant.now();
            String dialString = String.join("&", d.addresses());
            channel.exec("Dial", dialString + "," + d.timeoutSeconds());
            String status = channel.getVariable("DIALSTATUS");
            DialStatus outcome = DialStatus.of(status);
            calls.apply(CallSignal.dialled(in.callId(), request.getUniqueId(), new CallSignal.Dialled(++attempt,
                    dialString, d.managerId().orElse(null), dialledAt, outcome, null, null, null), Instant.now()));
            if (outcome == DialStatus.ANSWER) {
                intake.answered(d, Instant.now());
                break;
            }
        }
        if (plan.destinations().isEmpty()) channel.exec("Dial", "PJSIP/reception,30");
        channel.setVariable("CALLTRACK_ROUTED", "1");
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[2]);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(args[1]);
        hc.setMaximumPoolSize(Integer.parseInt(args[3]));
        HikariDataSource ds = new HikariDataSource(hc);
        Jdbc jdbc = new Jdbc(ds);
        PhoneNumbers numbers = new PhoneNumbers("US");
        RoutingRepository routing = new RoutingRepository(jdbc, Json.mapper());
        CallRepository calls = new CallRepository(jdbc, Json.mapper(), routing);
        CallIntake intake = new CallIntake(new CallAttributor(jdbc, new SiteRepository(jdbc), numbers), calls, numbers,
                new RoutingService(routing,
                        new CalltrackConfig.Routing(Duration.ofSeconds(30))));
        DefaultAgiServer server = new DefaultAgiServer(new AsteriskJavaBaseline(intake, calls));
        server.setPort(port);
        server.setPoolSize(threads);
        server.setMaximumPoolSize(threads);
        System.out.println("asterisk-java baseline listening on " + port + " with " + threads + " threads");
        server.startup();
    }
}
