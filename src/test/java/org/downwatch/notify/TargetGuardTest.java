package org.downwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetGuardTest {

    @Test
    void refusesLoopbackPrivateLinkLocalAndOtherNonPublicAddresses() {
        for (String host : new String[] { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "[::1]", "[fd00::1]", "[fe80::1]", "[::ffff:127.0.0.1]", "[::]" }) {
            Optional<String> r = TargetGuard.refusal(URI.create("http://" + host + "/hook"), false);
            assertTrue(r.isPresent() && r.get().startsWith("resolves to a non-public address"), host + ": " + r);
        }
    }

    @Test
    void acceptsPublicAddressesAndAnythingWhenAllowed() {
        assertEquals(Optional.empty(), TargetGuard.refusal(URI.create("https://93.184.216.34/hook"), false));
        assertEquals(Optional.empty(), TargetGuard.refusal(URI.create("https://[2606:4700::1111]/hook"), false));
        assertEquals(Optional.empty(), TargetGuard.refusal(URI.create("http://127.0.0.1:8181/hook"), true));
    }

    @Test
    void refusesOtherSchemesAndCredentials() {
        assertTrue(TargetGuard.refusal(URI.create("ftp://93.184.216.34/"), true).isPresent());
        assertTrue(TargetGuard.refusal(URI.create("https://user:pw@93.184.216.34/"), true).isPresent());
        assertTrue(TargetGuard.refusal(URI.create("file:///etc/passwd"), true).isPresent());
    }
}
