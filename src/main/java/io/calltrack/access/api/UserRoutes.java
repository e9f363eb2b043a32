package io.calltrack.access.api;

import io.calltrack.access.Permission;

import io.calltrack.access.AccountStore;
import io.calltrack.access.AuditTrail;
import io.calltrack.access.Grant;
import io.calltrack.access.PasswordHasher;
import io.calltrack.access.PasswordRules;
import io.calltrack.access.Principal;
import io.calltrack.access.SiteRole;
import io.calltrack.access.User;
import io.calltrack.access.UserRole;
import io.calltrack.platform.db.DataAccessException;
import io.calltrack.platform.http.ApiException;
import io.calltrack.platform.http.ApiRequest;
import io.calltrack.platform.http.ApiResponse;
import io.calltrack.platform.http.Fields;
import io.calltrack.platform.http.Need;
import io.calltrack.platform.http.Route;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.tracking.api.ClientAddresses;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The owner's user management: users, their role, disabling, password resets, a member's site grants. */
public final class UserRoutes implements RouteProvider {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final AuditTrail audit;
    private final AuditEntries entries;
    private final Clock clock;

    public UserRoutes(AccountStore accounts, PasswordHasher hasher, PasswordRules rules, AuditTrail audit,
                      ClientAddresses clients, Clock clock) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.rules = rules;
        this.audit = audit;
        this.entries = new AuditEntries(clients);
        this.clock = clock;
    }

    /** {@code grants}: a member's sites (owners and admins see every site and have none). */
    public record NewUser(String login, String role, String password, List<GrantBody> grants) {}

    /** What PATCH changes: the fields it names. {@code password}: the owner's reset. */
    public record UserChange(String role, Boolean disabled, String password) {}

    public record GrantBody(Long siteId, String role, Boolean recordings) {}

    @Override
    public List<Route> routes() {
        return List.of(
                Route.guarded("GET", "/v1/users", Need.of(Permission.USERS), this::list),
                Route.guarded("POST", "/v1/users", Need.of(Permission.USERS), this::create),
                Route.guarded("GET", "/v1/users/{id}", Need.of(Permission.USERS), this::get),
                Route.guarded("PATCH", "/v1/users/{id}", Need.of(Permission.USERS), this::change),
                Route.guarded("PUT", "/v1/users/{id}/grants", Need.of(Permission.USERS), this::replaceGrants));
    }

    private ApiResponse list(ApiRequest r) {
        Needs.ANY.of(r);
        return ApiResponse.ok(accounts.users().stream().map(UserRoutes::view).toList());
    }

    private ApiResponse get(ApiRequest r) {
        Needs.ANY.of(r);
        return ApiResponse.ok(view(existing(r)));
    }

    private ApiResponse create(ApiRequest r) {
        Principal p = Needs.ANY.of(r);
        NewUser body = r.bodyAs(NewUser.class);
        String login = Fields.text(body.login(), "login", 200);
        UserRole role = role(body.role());
        String password = SessionRoutes.acceptable(rules, login, body.password());
        List<Grant> grants = grants(role, body.grants() == null ? List.of() : body.grants());
        long id;
        try {
            id = accounts.createUser(login, role, Optional.of(hasher.hash(password)), clock.instant());
        } catch (DataAccessException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) throw ApiException.conflict("login '" + login + "' is taken");
            throw e;
        }
        storeGrants(id, grants);
        audit.record(entries.of(p, r, "user.created", "user " + id,
                Map.of("login", login, "role", role.dbValue(), "grants", grants(grants))));
        return ApiResponse.created(view(accounts.user(id).orElseThrow()));
    }

    private ApiResponse change(ApiRequest r) {
        Principal p = Needs.ANY.of(r);
        User before = existing(r);
        UserChange body = r.bodyAs(UserChange.class);
        Optional<UserRole> role = Optional.ofNullable(body.role()).map(UserRoutes::role);
        Optional<Boolean> disabled = Optional.ofNullable(body.disabled());
        boolean losesOwner = before.role() == UserRole.OWNER && !before.disabled()
                && (role.filter(x -> x != UserRole.OWNER).isPresent() || disabled.orElse(false));
        if (losesOwner && accounts.activeOwners() <= 1) {
            throw ApiException.conflict("user " + before.id() + " is the last owner: make another user owner first");
        }
        Optional<String> password = Optional.ofNullable(body.password())
                .map(pw -> SessionRoutes.acceptable(rules, before.login(), pw));
        if (role.filter(x -> x != UserRole.MEMBER).isPresent() && !before.grants().isEmpty()) {
            accounts.replaceGrants(before.id(), List.of()); // owners and admins see every site: grants mean nothing
        }
        role.ifPresent(x -> accounts.setRole(before.id(), x));
        disabled.ifPresent(d -> accounts.setDisabled(before.id(), d, clock.instant()));
        password.ifPresent(pw -> accounts.setPassword(before.id(), hasher.hash(pw), clock.instant()));
        User after = accounts.user(before.id()).orElseThrow();
        if (role.isPresent() || disabled.isPresent()) {
            audit.record(entries.of(p, r, "user.changed", "user " + before.id(), Map.of(
                    "before", Map.of("role", before.role().dbValue(), "disabled", before.disabled()),
                    "after", Map.of("role", after.role().dbValue(), "disabled", after.disabled()))));
        }
        if (password.isPresent()) audit.record(entries.of(p, r, "user.password-reset", "user " + before.id(), Map.of()));
        return ApiResponse.ok(view(after));
    }

    private ApiResponse replaceGrants(ApiRequest r) {
        Principal p = Needs.ANY.of(r);
        User before = existing(r);
        GrantBody[] body = r.bodyAs(GrantBody[].class);
        List<Grant> grants = grants(before.role(), List.of(body));
        storeGrants(before.id(), grants);
        audit.record(entries.of(p, r, "grants.changed", "user " + before.id(),
                Map.of("before", grants(before.grants()), "after", grants(grants))));
        return ApiResponse.ok(grants(accounts.user(before.id()).orElseThrow().grants()));
    }

    private void storeGrants(long userId, List<Grant> grants) {
        try {
            accounts.replaceGrants(userId, grants);
        } catch (DataAccessException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.sqlState())) {
                throw ApiException.badRequest("a granted site does not exist: "
                        + grants.stream().map(g -> String.valueOf(g.siteId())).toList());
            }
            throw e;
        }
    }

    private User existing(ApiRequest r) {
        long id = r.pathId("id");
        return accounts.user(id).orElseThrow(() -> ApiException.notFound("user " + id + " does not exist"));
    }

    private static UserRole role(String value) {
        if (value == null) throw ApiException.badRequest("role is required: owner, admin or member");
        try {
            return UserRole.fromDb(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("role must be owner, admin or member, got '" + value + "'");
        }
    }

    private static List<Grant> grants(UserRole role, List<GrantBody> body) {
        if (!body.isEmpty() && role != UserRole.MEMBER) {
            throw ApiException.badRequest("grants are for members: an " + role.dbValue() + " sees every site");
        }
        Set<Long> seen = new HashSet<>();
        return body.stream().map(g -> {
            if (g == null || g.siteId() == null) throw ApiException.badRequest("every grant needs a siteId");
            if (!seen.add(g.siteId())) throw ApiException.badRequest("site " + g.siteId() + " is granted twice");
            SiteRole siteRole;
            try {
                siteRole = SiteRole.fromDb(String.valueOf(g.role()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("a grant's role must be lead, marketer or viewer, got '" + g.role() + "'");
            }
            return new Grant(g.siteId(), siteRole, Boolean.TRUE.equals(g.recordings()));
        }).toList();
    }

    static List<Map<String, Object>> grants(Collection<Grant> grants) {
        return grants.stream().sorted(Comparator.comparingLong(Grant::siteId)).map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("siteId", g.siteId());
            m.put("role", g.role().dbValue());
            m.put("recordings", g.recordings());
            return m;
        }).toList();
    }

    static Map<String, Object> view(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("login", u.login());
        m.put("role", u.role().dbValue());
        m.put("disabled", u.disabled());
        m.put("createdAt", u.createdAt().toString());
        m.put("passwordChangedAt", u.passwordChangedAt().map(Object::toString).orElse(null));
        m.put("grants", grants(u.grants()));
        return m;
    }
}
