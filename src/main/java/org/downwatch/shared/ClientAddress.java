package org.downwatch.shared;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client's address as Quarkus resolved it: {@code X-Forwarded-For}/{@code Forwarded} are honoured
 * only from the trusted proxies of {@code quarkus.http.proxy.trusted-proxies} (loopback by default).
 * Used in memory only, to key rate limits and hashes: a raw address is never stored or logged.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress a = request.remoteAddress();
        if (a == null || a.hostAddress() == null) {
            return "unknown";
        }
        return a.hostAddress();
    }

    /**
     * The network a client stands for: the IPv4 address itself, or the /64 of an IPv6 address
     * (one household or phone usually gets a whole /64).
     */
    public static String network(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return b.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
