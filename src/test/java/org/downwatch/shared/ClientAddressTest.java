package org.downwatch.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one trusted-proxy rule, with the default trust (loopback). */
class ClientAddressTest {

    @Test
    void takesTheRightMostUntrustedEntry() {
        // nginx appends: the client wrote the left part
        assertEquals("203.0.113.9", ClientAddress.resolve("127.0.0.1", List.of("198.51.100.1, 203.0.113.9")));
        // a chain of trusted hops is skipped
        assertEquals("203.0.113.9", ClientAddress.resolve("127.0.0.1", List.of("203.0.113.9, 127.0.0.2", "::1")));
        assertEquals("2001:db8:0:0:0:0:0:1", ClientAddress.resolve("127.0.0.1", List.of("[2001:db8::1]")));
    }

    @Test
    void junkEndsTheWalkAtTheLastTrustedHop() {
        assertEquals("127.0.0.1", ClientAddress.resolve("127.0.0.1", List.of("not-an-ip-1")));
        assertEquals("127.0.0.1", ClientAddress.resolve("127.0.0.1", List.of("203.0.113.9, evil.example")));
        assertEquals("127.0.0.1", ClientAddress.resolve("127.0.0.1", List.of("1.2.3.4.5")));
        assertNull(ClientAddress.literal("localhost"));
        assertNull(ClientAddress.literal("999.1.1.1"));
    }

    @Test
    void ignoresTheHeaderFromAnUntrustedPeer() {
        assertEquals("198.51.100.7", ClientAddress.resolve("198.51.100.7", List.of("203.0.113.9")));
    }

    @Test
    void groupsAddressesIntoNetworksAndWideNetworks() {
        assertEquals("203.0.113.9", ClientAddress.network("203.0.113.9"));
        assertEquals("2001:db8:1:2::/64", ClientAddress.network("2001:db8:1:2:3:4:5:6"));
        assertEquals("203.0.113.0/24", ClientAddress.wideNetwork("203.0.113.9"));
        assertEquals("2001:db8:1:0:0:0:0:0/48", ClientAddress.wideNetwork("2001:db8:1:2:3:4:5:6"));
    }
}
