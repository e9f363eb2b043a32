package io.calltrack.telephony.sip;

import gov.nist.javax.sip.ServerTransactionExt;
import gov.nist.javax.sip.message.SIPMessage;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP redirect server: answers INVITE with {@code 302 Moved Temporarily} (Contacts in the decider's order,
 * q-values falling with it), {@code 404} for unknown numbers or the fallback; answers OPTIONS and CANCEL.
 * Every request gets a server transaction, so retransmissions are answered by the stack and the ACK for the
 * final response is absorbed there. Decisions run on a bounded executor because they may block on the
 * database; when it is full the INVITE gets the fallback at once.
 * Before its method is looked at, a request is refused when calltrack cannot serve it at all: larger than
 * {@link SipEndpoint#MAX_MESSAGE_SIZE} (513), a Request-URI neither {@code sip:}/{@code sips:} nor {@code tel:}
 * (416), or a To tag, i.e. a dialog, which a redirect server never has (481, RFC 3261 12.2.2).
 */
public final class SipRedirectServer {
    private static final Logger log = LoggerFactory.getLogger(SipRedirectServer.class);
    static final String ALLOW = "INVITE, ACK, CANCEL, OPTIONS";
    /** Methods of RFC 3261 and its extensions that we know but do not serve: 405 (anything else: 501). */
    private static final List<String> KNOWN_METHODS = List.of("BYE", "REGISTER", "INFO", "PRACK", "UPDATE",
            "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH");
    private static final long OVERLOAD_LOG_INTERVAL_MILLIS = 10_000;

    private final SipEndpoint endpoint;
    private final RedirectDecider decider;
    private final RedirectRecorder recorder;
    private final ExecutorService decisions;
    private final Optional<String> fallbackContact;
    private final Clock clock;
    private final AtomicLong lastOverloadLog = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong overloadFallbacks = new AtomicLong();

    /** A final response sent instead of serving the request. */
    private record Refusal(int status, String reason) {}

    public SipRedirectServer(SipEndpoint endpoint, RedirectDecider decider, RedirectRecorder recorder,
                             ExecutorService decisions, Optional<String> fallbackContact, Clock clock) {
        this.endpoint = endpoint;
        this.decider = decider;
        this.recorder = recorder;
        this.decisions = decisions;
        this.fallbackContact = fallbackContact;
        this.clock = clock;
    }

    /** Entry point from the JAIN-SIP listener thread: must not block. */
    public void request(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return; // an ACK outside any transaction (e.g. for a 2xx we never send): nothing to do
        }
        Optional<Refusal> refusal = refusal(request);
        ServerTransaction transaction = transactionFor(event, refusal);
        if (transaction == null) return;
        try {
            if (refusal.isPresent()) {
                refuse(transaction, request, refusal.get());
                return;
            }
            switch (method) {
                case Request.INVITE -> invite(request, transaction);
                case Request.CANCEL -> cancel(request, transaction);
                case Request.OPTIONS -> options(request, transaction);
                default -> notServed(request, transaction, method);
            }
        } catch (Exception e) {
            log.warn("SIP {} {} could not be answered: {}", method, callId(request), e.toString());
        }
    }

    private static Optional<Refusal> refusal(Request request) {
        int size = ((SIPMessage) request).getSize() + (request.getRawContent() == null ? 0 : request.getRawContent().length);
        if (size > SipEndpoint.MAX_MESSAGE_SIZE) {
            return Optional.of(new Refusal(Response.MESSAGE_TOO_LARGE, "Message Too Large (more than "
                    + SipEndpoint.MAX_MESSAGE_SIZE + " bytes)"));
        }
        URI uri = request.getRequestURI();
        if (!(uri instanceof SipURI) && !(uri instanceof TelURL)) {
            return Optional.of(new Refusal(Response.UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme"));
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        // a CANCEL carries its INVITE's To, and is matched to it by transaction, not dialog
        if (to != null && to.getTag() != null && !Request.CANCEL.equals(request.getMethod())) {
            return Optional.of(new Refusal(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist"));
        }
        return Optional.empty();
    }

    /** The request's server transaction; null when the stack already has it (a retransmission) or refused it. */
    private ServerTransaction transactionFor(RequestEvent event, Optional<Refusal> refusal) {
        ServerTransaction existing = event.getServerTransaction();
        if (existing != null) return existing;
        SipProvider provider = (SipProvider) event.getSource();
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException retransmission) {
            return null; // the stack answers retransmissions from the existing transaction
        } catch (Exception e) {
            // e.g. an INVITE without Contact: say what is wrong instead of leaving the peer retransmitting
            log.warn("SIP {} {} refused by the transaction layer: {}", event.getRequest().getMethod(),
                    callId(event.getRequest()), e.getMessage());
            String why = e.getMessage() == null ? "Bad Request" : e.getMessage();
            sendStateless(provider, event.getRequest(), refusal.orElse(new Refusal(Response.BAD_REQUEST, why)));
            return null;
        }
    }

    private void sendStateless(SipProvider provider, Request request, Refusal refusal) {
        try {
            provider.sendResponse(response(request, refusal));
        } catch (Exception e) {
            log.debug("no {} sent for SIP {}: {}", refusal.status(), callId(request), e.toString());
        }
    }

    private void refuse(ServerTransaction transaction, Request request, Refusal refusal) throws Exception {
        transaction.sendResponse(response(request, refusal));
    }

    private Response response(Request request, Refusal refusal) throws ParseException {
        Response response = endpoint.messages().createResponse(refusal.status(), request);
        response.setReasonPhrase(refusal.reason().replaceAll("[\\r\\n]", " "));
        toTag(response);
        return response;
    }

    private void invite(Request request, ServerTransaction transaction) throws Exception {
        transaction.sendResponse(endpoint.messages().createResponse(Response.TRYING, request));
        Optional<SipCallRequest> call = callRequest(request);
        if (call.isEmpty()) {
            answer(transaction, request, Response.NOT_FOUND, List.of());
            return;
        }
        // set before the decision runs: a CANCEL finds it through the INVITE's transaction
        AtomicBoolean answered = new AtomicBoolean();
        transaction.setApplicationData(answered);
        try {
            decisions.execute(() -> decideAndAnswer(call.get(), request, transaction, answered));
        } catch (RejectedExecutionException full) {
            overloaded(call.get());
            finish(call.get(), request, transaction, answered, RedirectDecision.fallback("overloaded"));
        }
    }

    /**
     * Logged at most every {@link #OVERLOAD_LOG_INTERVAL_MILLIS} with the count since: a line per INVITE would
     * flood the log exactly when the SIP threads have no time to write it.
     */
    private void overloaded(SipCallRequest call) {
        long now = clock.millis();
        long fallbacks = overloadFallbacks.incrementAndGet();
        long last = lastOverloadLog.get();
        if (now - last < OVERLOAD_LOG_INTERVAL_MILLIS || !lastOverloadLog.compareAndSet(last, now)) return;
        overloadFallbacks.addAndGet(-fallbacks);
        log.warn("SIP routing is overloaded: {} INVITE(s) sent to the fallback since the last warning (latest: call {}"
                + " to {}); more than sip.executor-threads + sip.executor-queue decisions were waiting. Raise them "
                + "(and db.pool-size) if the database keeps up", fallbacks, call.callId(), call.requestUriUser());
    }

    private void decideAndAnswer(SipCallRequest call, Request request, ServerTransaction transaction,
                                 AtomicBoolean answered) {
        RedirectDecision decision;
        try {
            decision = decider.decide(call);
        } catch (RuntimeException e) {
            log.warn("SIP call {} to {}: routing failed ({}), sending the fallback", call.callId(),
                    call.requestUriUser(), e.toString());
            decision = RedirectDecision.fallback("routing failed: " + e.getMessage());
        }
        if (finish(call, request, transaction, answered, decision)) {
            try {
                recorder.redirected(call, decision);
            } catch (RuntimeException e) {
                log.error("SIP call {} was answered but not recorded: {}", call.callId(), e.toString());
            }
        }
    }

    /** Sends the final response unless a CANCEL got there first; true when this call sent it. */
    private boolean finish(SipCallRequest call, Request request, ServerTransaction transaction,
                           AtomicBoolean answered, RedirectDecision decision) {
        if (!answered.compareAndSet(false, true)) return false;
        try {
            if (decision instanceof RedirectDecision.Redirect r) {
                answer(transaction, request, Response.MOVED_TEMPORARILY, r.contacts());
            } else if (decision instanceof RedirectDecision.NotFound) {
                answer(transaction, request, Response.NOT_FOUND, List.of());
            } else if (fallbackContact.isPresent()) {
                answer(transaction, request, Response.MOVED_TEMPORARILY, List.of(fallbackContact.get()));
            } else {
                answer(transaction, request, Response.TEMPORARILY_UNAVAILABLE, List.of());
            }
            return true;
        } catch (Exception e) {
            log.warn("SIP call {}: final response could not be sent: {}", call.callId(), e.toString());
            return false;
        }
    }

    private void answer(ServerTransaction transaction, Request request, int status, List<String> contacts)
            throws ParseException, SipException, InvalidArgumentException {
        Response response = endpoint.messages().createResponse(status, request);
        toTag(response);
        for (int i = 0; i < contacts.size(); i++) {
            ContactHeader contact = endpoint.headers().createContactHeader(
                    endpoint.addresses().createAddress(endpoint.addresses().createURI(contacts.get(i))));
            contact.setQValue(qValue(i, contacts.size()));
            response.addHeader(contact);
        }
        transaction.sendResponse(response);
    }

    /** Preference falls evenly with the position: 1.0 for the first, above 0 for the last (RFC 3261 q-values). */
    static float qValue(int index, int count) {
        return Math.max(1, Math.round(1000f * (count - index) / count)) / 1000f;
    }

    /**
     * The stack matches a CANCEL to its INVITE's server transaction (RFC 3261 9.2) for as long as that exists, also
     * after the final response while the ACK is awaited: 200 then, and 487 for the INVITE if it was still being
     * decided. No INVITE transaction: 481.
     */
    private void cancel(Request cancel, ServerTransaction transaction) throws Exception {
        ServerTransaction invite = ((ServerTransactionExt) transaction).getCanceledInviteTransaction();
        if (invite == null) {
            answer(transaction, cancel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, List.of());
            return;
        }
        answer(transaction, cancel, Response.OK, List.of());
        if (invite.getApplicationData() instanceof AtomicBoolean answered && answered.compareAndSet(false, true)) {
            answer(invite, invite.getRequest(), Response.REQUEST_TERMINATED, List.of());
        }
    }

    private void options(Request request, ServerTransaction transaction) throws Exception {
        Response response = endpoint.messages().createResponse(Response.OK, request);
        toTag(response);
        response.addHeader(endpoint.headers().createAllowHeader(ALLOW));
        response.addHeader(endpoint.headers().createAcceptHeader("application", "sdp"));
        transaction.sendResponse(response);
    }

    private void notServed(Request request, ServerTransaction transaction, String method) throws Exception {
        boolean known = KNOWN_METHODS.contains(method);
        Response response = endpoint.messages().createResponse(
                known ? Response.METHOD_NOT_ALLOWED : Response.NOT_IMPLEMENTED, request);
        toTag(response);
        response.addHeader(endpoint.headers().createAllowHeader(ALLOW));
        transaction.sendResponse(response);
    }

    /** Final responses outside a dialog still need a To tag (RFC 3261 8.2.6.2). */
    private static void toTag(Response response) throws ParseException {
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() == null && response.getStatusCode() >= 200) {
            to.setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
        }
    }

    private Optional<SipCallRequest> callRequest(Request request) {
        Optional<String> called = UriNumbers.number(request.getRequestURI());
        if (called.isEmpty()) return Optional.empty();
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        Optional<String> caller = Optional.ofNullable(from)
                .flatMap(f -> UriNumbers.number(f.getAddress().getURI()))
                .filter(u -> !u.equalsIgnoreCase("anonymous"));
        return Optional.of(new SipCallRequest(called.get(), caller, callId(request), clock.instant()));
    }

    private static String callId(Request request) {
        CallIdHeader id = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return id == null ? "?" : id.getCallId();
    }
}
