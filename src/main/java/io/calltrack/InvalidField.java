package io.calltrack;

/**
 * Something a user wrote that cannot be kept, and where: {@code field} is its path in the request's document
 * ({@code rules[2].schedule.hours[0]}, {@code tags[1]}). Domain rules throw it; the HTTP layer answers it as a 400
 * whose {@code field} names the place, so a form can show the problem beside the input.
 */
public final class InvalidField extends RuntimeException {
    private final String field;
    private final String problem;

    public InvalidField(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
