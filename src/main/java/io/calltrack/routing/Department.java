package io.calltrack.routing;

import java.util.List;

/** A group of managers, in the order the lead listed them. */
public record Department(long id, String name, List<Manager> managers) {
    public Department {
        managers = List.copyOf(managers);
    }
}
