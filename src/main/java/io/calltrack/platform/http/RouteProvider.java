package io.calltrack.platform.http;

import java.util.List;

/** A capability's HTTP surface: each package contributes its routes to the one server. */
public interface RouteProvider {
    List<Route> routes();
}
