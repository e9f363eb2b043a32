package io.calltrack.access.api;

import io.calltrack.access.AccountStore;
import io.calltrack.access.AuditTrail;
import io.calltrack.access.Grant;
import io.calltrack.access.IssuedToken;
import io.calltrack.access.Principal;
import io.calltrack.access.TokenInfo;
import io.calltrack.access.User;
import io.calltrack.access.UserRole;
import io.calltrack.platform.db.DataAccessException;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.SiteRepository;
import io.calltrack.tracking.api.ClientAddresses;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Users' API tokens: one's own (an owner: anyone's). A token is as wide as its user or narrower ({@code onlySites}
 * within the user's sites, {@code readOnly}); it is shown once, in the answer that creates it.
 */
public final class TokenRoutes implements RouteProvider {
    private static final String UNIQUE_VIOLATION = "23505";

    private final AccountStore accounts;
    private final SiteRepository sites;
    private final AuditTrail audit;
    private final AuditEntries entries;
    private final Clock clock;

    public TokenRoutes(AccountStore accounts, SiteRepository sites, AuditTrail audit, ClientAddresses clients,
                       Clock clock) {
        this.accounts = accounts;
        this.sites = sites;
        this.audit = audit;
        this.entries = new AuditEntries(clients);
        this.clock = clock;
    }

    /** {@code userId}: an owner issuing a token for another user (default: oneself). */
    public record NewToken(String name, List<Long> onlySites, Boolean readOnly, Long userId) {}

    @Override
    public List<Route> routes() {
        return List.of(
                Route.admin("GET", "/v1/tokens", this::list), // needs: SELF (all=true: USERS)
                Route.admin("POST", "/v1/tokens", this::create), // needs: SELF (userId: USERS)
                Route.admin("DELETE", "/v1/tokens/{id}", this::revoke)); // needs: SELF (another's: USERS)
    }

    private ApiResponse list(ApiRequest r) {
        boolean all = r.queryParam("all").map(Boolean::parseBoolean).orElse(false);
        Optional<Long> whose;
        if (all) {
            Needs.USERS.of(r);
            whose = Optional.empty();
        } else {
            whose = Optional.of(Needs.SELF.of(r).userId());
        }
        return ApiResponse.ok(accounts.tokens(whose).stream().map(TokenRoutes::view).toList());
    }

    private ApiResponse create(ApiRequest r) {
        NewToken body = r.bodyAs(NewToken.class);
        Principal p = body.userId() == null ? Needs.SELF.of(r) : Needs.USERS.of(r);
        long userId = body.userId() == null ? p.userId() : body.userId();
        User user = accounts.user(userId).orElseThrow(() -> ApiException.badRequest("user " + userId
                + " does not exist"));
        if (user.disabled()) throw ApiException.badRequest("user " + userId + " is disabled");
        String name = Fields.text(body.name(), "name", 100);
        Optional<Set<Long>> onlySites = Optional.ofNullable(body.onlySites()).map(TreeSet::new);
        onlySites.ifPresent(s -> checkWithin(s, user));
        if (p.userId() == userId && p.onlySites().isPresent()) {
            // a narrowed token makes no wider one
            if (onlySites.isEmpty() || !p.onlySites().get().containsAll(onlySites.get())) {
                throw new ApiException(403, "this token is limited to sites " + new TreeSet<>(p.onlySites().get())
                        + ": a token it creates must name onlySites within them");
            }
        }
        boolean readOnly = Boolean.TRUE.equals(body.readOnly());
        IssuedToken issued;
        try {
            issued = accounts.issueToken(userId, name, onlySites, readOnly, clock.instant());
        } catch (DataAccessException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) {
                throw ApiException.conflict("user " + userId + " has a token named '" + name + "' already");
            }
            throw e;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("name", name);
        detail.put("userId", userId);
        detail.put("readOnly", readOnly);
        onlySites.ifPresent(s -> detail.put("onlySites", List.copyOf(s)));
        audit.record(entries.of(p, r, "token.created", "token " + issued.id(), detail));
        Map<String, Object> out = view(accounts.token(issued.id()).orElseThrow());
        out.put("token", issued.token());
        return ApiResponse.created(out);
    }

    /** The sites of a token must be the user's: any existing site for an owner or admin, a granted one for a member. */
    private void checkWithin(Set<Long> onlySites, User user) {
        if (onlySites.isEmpty()) throw ApiException.badRequest("onlySites is empty: leave it out for all the user's sites");
        for (long site : onlySites) {
            boolean theirs = user.role() == UserRole.MEMBER
                    ? user.grants().stream().map(Grant::siteId).anyMatch(s -> s == site)
                    : sites.find(site).isPresent();
            if (!theirs) {
                throw ApiException.badRequest("onlySites: site " + site + " is not one of " + user.login()
                        + "'s sites");
            }
        }
    }

    private ApiResponse revoke(ApiRequest r) {
        Principal p = Needs.ANY.of(r);
        long id = r.pathId("id");
        TokenInfo token = accounts.token(id)
                .filter(t -> t.userId() == p.userId() || p.role() == UserRole.OWNER)
                .orElseThrow(() -> ApiException.notFound("token " + id + " does not exist"));
        if (!accounts.revokeToken(id, clock.instant())) {
            throw ApiException.conflict("token " + id + " was revoked already");
        }
        audit.record(entries.of(p, r, "token.revoked", "token " + id,
                Map.of("name", token.name(), "userId", token.userId())));
        return ApiResponse.noContent();
    }

    static Map<String, Object> view(TokenInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("userId", t.userId());
        m.put("login", t.login());
        m.put("name", t.name());
        m.put("onlySites", t.onlySites().map(s -> s.stream().sorted().toList()).orElse(null));
        m.put("readOnly", t.readOnly());
        m.put("createdAt", t.createdAt().toString());
        m.put("lastUsedAt", t.lastUsedAt().map(Object::toString).orElse(null));
        m.put("revokedAt", t.revokedAt().map(Object::toString).orElse(null));
        return m;
    }
}
