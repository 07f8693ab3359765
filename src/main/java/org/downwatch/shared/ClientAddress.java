package org.downwatch.shared;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address, one rule behind any proxy: walk {@code X-Forwarded-For} from the right (the
 * entry the nearest proxy appended), skip the hops that are trusted proxies
 * ({@code downwatch.proxy.trusted-proxies}, CIDR), and take the first untrusted entry; an entry that is
 * not an IP literal ends the walk at the last trusted hop. Safe behind proxies that append (nginx's
 * {@code $proxy_add_x_forwarded_for}, cloud load balancers) and those that overwrite: the client only
 * controls the left of the list. Used in memory only, to key rate limits and hashes: a raw address is
 * never stored or logged.
 */
@ApplicationScoped
public class ClientAddress {

    private static volatile List<Cidr> trusted = parse("127.0.0.0/8,::1/128");

    void configure(@Observes StartupEvent event, ProxyConfig config) {
        trusted = parse(config.trustedProxies());
    }

    public static String of(HttpServerRequest request) {
        SocketAddress a = request.remoteAddress();
        String peer = a == null ? null : a.hostAddress();
        if (peer == null) {
            return "unknown";
        }
        return resolve(peer, request.headers().getAll("X-Forwarded-For"));
    }

    /** The client behind {@code peer} given the X-Forwarded-For header lines, as {@link #of} decides. */
    static String resolve(String peer, List<String> forwardedFor) {
        byte[] current = literal(peer);
        if (current == null) {
            return peer;
        }
        String client = peer;
        if (!isTrusted(current) || forwardedFor == null || forwardedFor.isEmpty()) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String entry : line.split(",")) {
                hops.add(entry.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = literal(hops.get(i));
            if (hop == null) {
                return client; // junk: the last trusted hop is all we know
            }
            client = text(hop);
            if (!isTrusted(hop)) {
                return client;
            }
        }
        return client;
    }

    /** Served over HTTPS: directly, or as a trusted proxy says in X-Forwarded-Proto. */
    public static boolean https(HttpServerRequest request) {
        if ("https".equalsIgnoreCase(request.scheme())) {
            return true;
        }
        SocketAddress a = request.remoteAddress();
        byte[] peer = a == null || a.hostAddress() == null ? null : literal(a.hostAddress());
        String proto = request.getHeader("X-Forwarded-Proto");
        return peer != null && isTrusted(peer) && proto != null && proto.trim().equalsIgnoreCase("https");
    }

    private static boolean isTrusted(byte[] address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes of an IPv4 or IPv6 literal (IPv6 possibly in brackets; a port after an IPv4 is dropped,
     * as some proxies add it), or null for anything else: never a DNS lookup.
     */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        String v = s;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                return null;
            }
            v = v.substring(1, end);
        } else if (v.indexOf(':') == v.lastIndexOf(':') && v.indexOf('.') > 0 && v.indexOf(':') > 0) {
            v = v.substring(0, v.indexOf(':'));
        }
        int zone = v.indexOf('%');
        if (zone >= 0) {
            v = v.substring(0, zone);
        }
        if (v.indexOf(':') >= 0) {
            if (!v.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0)) {
                return null;
            }
        } else if (!v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(v).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The network a client stands for: the IPv4 address itself, or the /64 of an IPv6 address
     * (one household or phone usually gets a whole /64).
     */
    public static String network(String address) {
        return prefix(address, 32, 64);
    }

    /**
     * The wide network of an address: its IPv4 /24 or IPv6 /48 (one provider's customer block, one
     * office, one cloud subnet), for the caps and the distinct-network count that resist sybils.
     */
    public static String wideNetwork(String address) {
        return prefix(address, 24, 48);
    }

    private static String prefix(String address, int v4Bits, int v6Bits) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return address;
        }
        int bits = bytes.length == 4 ? v4Bits : v6Bits;
        if (bytes.length == 4 && bits == 32) {
            return text(bytes);
        }
        byte[] masked = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            masked[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        if (bytes.length == 16 && v6Bits == 64 && bits == 64) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return b.append(":/64").toString();
        }
        return text(masked) + "/" + bits;
    }

    static List<Cidr> parse(String list) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String item : list.split(",")) {
            String v = item.trim();
            if (v.isEmpty()) {
                continue;
            }
            int slash = v.indexOf('/');
            byte[] base = literal(slash < 0 ? v : v.substring(0, slash));
            if (base == null) {
                throw new IllegalArgumentException("downwatch.proxy.trusted-proxies: not an IP address or CIDR: " + v);
            }
            int bits = slash < 0 ? base.length * 8 : Integer.parseInt(v.substring(slash + 1));
            cidrs.add(new Cidr(base, bits));
        }
        return List.copyOf(cidrs);
    }

    record Cidr(byte[] base, int bits) {
        boolean contains(byte[] a) {
            if (a.length != base.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                int keep = Math.max(0, Math.min(8, bits - 8 * i));
                int mask = (0xff << (8 - keep)) & 0xff;
                if ((a[i] & mask) != (base[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The canonical text of an address (no lookup). */
    private static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
