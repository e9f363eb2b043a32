package io.calltrack.access;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code calltrack user add|reset-password|disable|enable LOGIN [--role owner|admin|member]}: accounts straight in
 * the database, for when nobody can log in. A password is read from standard input (one line; prompted without echo
 * on a terminal); an empty one is generated and printed. Answers the exit code: 0 done, 1 refused, 2 usage.
 */
public final class UserCommand {
    public static final String USAGE = "usage: calltrack user add LOGIN [--role owner|admin|member] | "
            + "user reset-password LOGIN | user disable LOGIN | user enable LOGIN   [--config FILE]";

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final SecureRandom random;
    private final Clock clock;
    private final PrintStream out;

    public UserCommand(AccountStore accounts, PasswordHasher hasher, PasswordRules rules, SecureRandom random,
                       Clock clock, PrintStream out) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.rules = rules;
        this.random = random;
        this.clock = clock;
        this.out = out;
    }

    /** {@code args}: what follows {@code user}; {@code password}: the line typed, empty when none was. */
    public int run(List<String> args, Supplier<Optional<String>> password) {
        if (args.size() < 2) return usage("a subcommand and a login are needed");
        String action = args.get(0);
        String login = args.get(1).trim();
        UserRole role = UserRole.MEMBER;
        for (int i = 2; i < args.size(); i++) {
            if (!args.get(i).equals("--role") || i + 1 == args.size() || !action.equals("add")) {
                return usage("unexpected '" + args.get(i) + "'");
            }
            try {
                role = UserRole.fromDb(args.get(++i));
            } catch (IllegalArgumentException e) {
                return usage("--role is owner, admin or member, not '" + args.get(i) + "'");
            }
        }
        if (login.isEmpty() || login.length() > 200) return refused("a login has 1 to 200 characters");
        Optional<AccountStore.LoginRow> user = accounts.forLogin(login);
        switch (action) {
            case "add" -> {
                if (user.isPresent()) return refused("user '" + login + "' exists already; reset-password sets a "
                        + "new password");
                Optional<String> chosen = chosenPassword(login, password);
                if (chosen.isEmpty()) return 1;
                long id = accounts.createUser(login, role, Optional.of(hasher.hash(chosen.get())), clock.instant());
                out.println("Created user " + id + " '" + login + "' (" + role.dbValue() + ")");
            }
            case "reset-password" -> {
                if (user.isEmpty()) return refused("no user '" + login + "'");
                Optional<String> chosen = chosenPassword(login, password);
                if (chosen.isEmpty()) return 1;
                accounts.setPassword(user.get().userId(), hasher.hash(chosen.get()), clock.instant());
                out.println("New password set for '" + user.get().login() + "'; their sessions have ended"
                        + (user.get().disabled() ? " (the user is disabled: 'user enable' lets them in again)" : ""));
            }
            case "disable", "enable" -> {
                if (user.isEmpty()) return refused("no user '" + login + "'");
                boolean disable = action.equals("disable");
                accounts.setDisabled(user.get().userId(), disable, clock.instant());
                out.println(disable ? "Disabled '" + user.get().login() + "': their sessions have ended and "
                        + "their API tokens open nothing" : "Enabled '" + user.get().login() + "'");
            }
            default -> {
                return usage("unknown subcommand '" + action + "'");
            }
        }
        return 0;
    }

    /** The typed password when it meets the rules, a generated one (printed) when none was typed. */
    private Optional<String> chosenPassword(String login, Supplier<Optional<String>> typed) {
        Optional<String> line = typed.get().filter(p -> !p.isEmpty());
        if (line.isPresent()) {
            Optional<String> problem = rules.problem(login, line.get());
            problem.ifPresent(p -> out.println("calltrack: " + p));
            return problem.isPresent() ? Optional.empty() : line;
        }
        String generated = rules.generated(login, random);
        out.println("Generated password for '" + login + "': " + generated);
        return Optional.of(generated);
    }

    private int usage(String problem) {
        out.println("calltrack: " + problem + "; " + USAGE);
        return 2;
    }

    private int refused(String problem) {
        out.println("calltrack: " + problem);
        return 1;
    }
}
