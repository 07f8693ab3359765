package org.downwatch.web;

/**
 * The service page's line on where the evidence comes from: the distinct wide networks (IPv4 /24, IPv6 /48)
 * of the last hour's reports, and how many a problem needs ({@code detect.NetworkGate}).
 */
public record NetworkEvidence(int count, int min) {

    public boolean tooFew() {
        return count < min;
    }
}
