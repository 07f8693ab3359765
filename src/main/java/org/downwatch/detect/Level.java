package org.downwatch.detect;

/** A service's level as the detector sees it; {@link #wire()} is its name in the database and the API. */
public enum Level {
    NONE("none"), POSSIBLE("possible"), PROBLEM("problem");

    private final String wire;

    Level(String wire) {
        this.wire = wire;
    }

    /** {@code none}, {@code possible} or {@code problem}: {@code service_status.level} and the API's {@code level}. */
    public String wire() {
        return wire;
    }
}
