package org.downwatch.detect;

/**
 * Fired on every instance once the detectors stand at {@code minute} (epoch minutes): after this
 * instance evaluated it and committed, or after it followed another instance's evaluation. What pages
 * show of a minute is final from then on.
 */
public record MinuteEvaluated(long minute) {
}
