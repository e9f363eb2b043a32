package io.calltrack.tracking;

/** A session's (or a call's) first touch and the last one, which is the first until a later paid click. */
public record Touches(Touch first, Touch last) {
    public static final Touches NONE = single(Touch.NONE);

    public static Touches single(Touch touch) {
        return new Touches(touch, touch);
    }
}
