package org.downwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * X-Forwarded-For is honoured only from the configured trusted proxies: here the only trusted proxy is
 * an address that is not loopback, so the header the tests send from 127.0.0.1 is ignored and every
 * request is the same client (127.0.0.1).
 */
@QuarkusTest
@TestProfile(UntrustedProxyTest.OtherProxy.class)
class UntrustedProxyTest {

    public static class OtherProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("downwatch.proxy.trusted-proxies", "192.0.2.1");
        }
    }

    @Test
    void ignoresXForwardedForFromAnUntrustedPeer() {
        String ua = "test/untrusted-" + System.nanoTime();
        assertEquals(201, ReportResourceTest.report(Clients.next(), ua, ReportResourceTest.PARCELS).statusCode());
        // another forwarded address, same User-Agent: without trust it is the same person (127.0.0.1)
        assertEquals(200, ReportResourceTest.report(Clients.next(), ua, ReportResourceTest.PARCELS).statusCode());
        ReportResourceTest.report(Clients.next(), ua, "{\"problem\": \"parcel-tracking\"}").then().statusCode(200);
    }
}
