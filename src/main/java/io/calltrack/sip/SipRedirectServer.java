package io.calltrack.sip;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
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
 */
public final class SipRedirectServer {
    private static final Logger log = LoggerFactory.getLogger(SipRedirectServer.class);
    static final String ALLOW = "INVITE, ACK, CANCEL, OPTIONS";
    /** Methods of RFC 3261 and its extensions that we know but do not serve: 405 (anything else: 501). */
    private static final List<String> KNOWN_METHODS = List.of("BYE", "REGISTER", "INFO", "PRACK", "UPDATE",
            "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH");

    private final SipEndpoint endpoint;
    private final RedirectDecider decider;
    private final RedirectRecorder recorder;
    private final ExecutorService decisions;
    private final Optional<String> fallbackContact;
    private final Clock clock;
    /** INVITEs not yet answered finally, by {@link #pendingKey}. */
    private final Map<String, PendingInvite> pending = new ConcurrentHashMap<>();

    private record PendingInvite(ServerTransaction transaction, AtomicBoolean answered) {}

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
        ServerTransaction transaction = transactionFor(event);
        if (transaction == null) return;
        try {
            switch (method) {
                case Request.INVITE -> invite(request, transaction);
                case Request.CANCEL -> cancel(request, transaction);
                case Request.OPTIONS -> options(request, transaction);
                default -> refuse(request, transaction, method);
            }
        } catch (Exception e) {
            log.warn("SIP {} {} could not be answered: {}", method, callId(request), e.toString());
        }
    }

    private ServerTransaction transactionFor(RequestEvent event) {
        ServerTransaction existing = event.getServerTransaction();
        if (existing != null) return existing;
        try {
            return endpoint.provider().getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException retransmission) {
            return null; // the stack answers retransmissions from the existing transaction
        } catch (Exception e) {
            // e.g. an INVITE without Contact: say what is wrong instead of leaving the peer retransmitting
            log.warn("SIP {} {} refused by the transaction layer: {}", event.getRequest().getMethod(),
                    callId(event.getRequest()), e.getMessage());
            badRequest(event.getRequest(), e.getMessage());
            return null;
        }
    }

    private void badRequest(Request request, String why) {
        try {
            Response response = endpoint.messages().createResponse(Response.BAD_REQUEST, request);
            response.setReasonPhrase(why == null ? "Bad Request" : why.replaceAll("[\\r\\n]", " "));
            toTag(response);
            endpoint.provider().sendResponse(response);
        } catch (Exception e) {
            log.debug("no 400 sent for SIP {}: {}", callId(request), e.toString());
        }
    }

    private void invite(Request request, ServerTransaction transaction) throws Exception {
        transaction.sendResponse(endpoint.messages().createResponse(Response.TRYING, request));
        Optional<SipCallRequest> call = callRequest(request);
        if (call.isEmpty()) {
            answer(transaction, request, Response.NOT_FOUND, List.of());
            return;
        }
        PendingInvite invite = new PendingInvite(transaction, new AtomicBoolean());
        String key = pendingKey(request);
        pending.put(key, invite);
        try {
            decisions.execute(() -> decideAndAnswer(call.get(), request, invite, key));
        } catch (RejectedExecutionException full) {
            log.warn("SIP call {}: routing is overloaded (raise sip.executor-threads/queue?), sending the fallback",
                    call.get().callId());
            finish(call.get(), request, invite, key, RedirectDecision.fallback("overloaded"));
        }
    }

    private void decideAndAnswer(SipCallRequest call, Request request, PendingInvite invite, String key) {
        RedirectDecision decision;
        try {
            decision = decider.decide(call);
        } catch (RuntimeException e) {
            log.warn("SIP call {} to {}: routing failed ({}), sending the fallback", call.callId(),
                    call.requestUriUser(), e.toString());
            decision = RedirectDecision.fallback("routing failed: " + e.getMessage());
        }
        if (finish(call, request, invite, key, decision)) {
            try {
                recorder.redirected(call, decision);
            } catch (RuntimeException e) {
                log.error("SIP call {} was answered but not recorded: {}", call.callId(), e.toString());
            }
        }
    }

    /** Sends the final response unless a CANCEL got there first; true when this call sent it. */
    private boolean finish(SipCallRequest call, Request request, PendingInvite invite, String key,
                           RedirectDecision decision) {
        pending.remove(key, invite);
        if (!invite.answered().compareAndSet(false, true)) return false;
        try {
            if (decision instanceof RedirectDecision.Redirect r) {
                answer(invite.transaction(), request, Response.MOVED_TEMPORARILY, r.contacts());
            } else if (decision instanceof RedirectDecision.NotFound) {
                answer(invite.transaction(), request, Response.NOT_FOUND, List.of());
            } else if (fallbackContact.isPresent()) {
                answer(invite.transaction(), request, Response.MOVED_TEMPORARILY, List.of(fallbackContact.get()));
            } else {
                answer(invite.transaction(), request, Response.TEMPORARILY_UNAVAILABLE, List.of());
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

    private void cancel(Request cancel, ServerTransaction transaction) throws Exception {
        PendingInvite invite = pending.remove(pendingKey(cancel));
        if (invite == null) {
            answer(transaction, cancel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, List.of());
            return;
        }
        answer(transaction, cancel, Response.OK, List.of());
        if (invite.answered().compareAndSet(false, true)) {
            answer(invite.transaction(), invite.transaction().getRequest(), Response.REQUEST_TERMINATED, List.of());
        }
    }

    private void options(Request request, ServerTransaction transaction) throws Exception {
        Response response = endpoint.messages().createResponse(Response.OK, request);
        toTag(response);
        response.addHeader(endpoint.headers().createAllowHeader(ALLOW));
        response.addHeader(endpoint.headers().createAcceptHeader("application", "sdp"));
        transaction.sendResponse(response);
    }

    private void refuse(Request request, ServerTransaction transaction, String method) throws Exception {
        boolean known = KNOWN_METHODS.contains(method);
        Response response = endpoint.messages().createResponse(
                known ? Response.METHOD_NOT_ALLOWED : Response.NOT_IMPLEMENTED, request);
        toTag(response);
        response.addHeader(endpoint.headers().createAllowHeader(ALLOW));
        transaction.sendResponse(response);
    }

    /** Final responses outside a dialog still need a To tag (RFC 3261 8.2.6.2). */
    private static void toTag(Response response) throws ParseException {
        var to = (javax.sip.header.ToHeader) response.getHeader(javax.sip.header.ToHeader.NAME);
        if (to != null && to.getTag() == null && response.getStatusCode() >= 200) {
            to.setTag(Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        }
    }

    private Optional<SipCallRequest> callRequest(Request request) {
        URI uri = request.getRequestURI();
        if (!(uri instanceof SipURI sip) || sip.getUser() == null || sip.getUser().isBlank()) {
            return Optional.empty();
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        Optional<String> caller = Optional.ofNullable(from)
                .map(f -> f.getAddress().getURI())
                .filter(SipURI.class::isInstance)
                .map(u -> ((SipURI) u).getUser())
                .filter(u -> !u.isBlank() && !u.equalsIgnoreCase("anonymous"));
        return Optional.of(new SipCallRequest(sip.getUser(), caller, callId(request), clock.instant()));
    }

    /** A CANCEL matches its INVITE by top Via branch (RFC 3261 9.2); the Call-ID guards against reused branches. */
    private static String pendingKey(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via.getBranch() + "|" + callId(request);
    }

    private static String callId(Request request) {
        var id = (javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME);
        return id == null ? "?" : id.getCallId();
    }
}
