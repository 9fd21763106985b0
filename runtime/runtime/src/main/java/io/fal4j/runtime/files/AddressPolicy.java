package io.fal4j.runtime.files;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides which hosts input files may be downloaded from: by default only public addresses, so a
 * request cannot make the runner fetch from itself, its pod network or a cloud metadata service
 * (server-side request forgery). Every address a name resolves to must be public; the download then
 * connects to those very addresses, so a second DNS answer cannot redirect it.
 */
public final class AddressPolicy {

    /** How a host name becomes addresses: the system's resolver, or a test's. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** One attempt at a connection to one of a host's addresses. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * @throws ConnectException when no connection to this address could be made, so the next may be tried
         */
        T to(InetAddress address) throws DownloadException, ConnectException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public AddressPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public AddressPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * The addresses to connect to for a host, in the resolver's order.
     *
     * @throws DownloadException when the host does not resolve or resolves to a non-public address
     */
    public List<InetAddress> resolve(String host) throws DownloadException {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new DownloadException("the host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new DownloadException("the host " + host + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new DownloadException("the host " + host + " is a loopback, private or otherwise internal "
                            + "address, which the runner does not download from");
                }
            }
        }
        return List.of(addresses);
    }

    /**
     * Makes {@code attempt} to a host's addresses in turn, as a browser does, until one connects: a
     * name with an address the client cannot reach (an IPv6 one without IPv6, a server that is down)
     * still works through the others.
     *
     * @throws ConnectException the last address's, when none connects
     */
    public <T> T connect(String host, Attempt<T> attempt) throws DownloadException, ConnectException {
        List<InetAddress> addresses = resolve(host);
        for (int i = 0; ; i++) {
            try {
                return attempt.to(addresses.get(i));
            } catch (ConnectException unreachable) {
                if (i + 1 == addresses.size()) {
                    throw unreachable;
                }
            }
        }
    }

    /**
     * A request for {@code uri} made to {@code address}, so that a second DNS answer cannot redirect
     * it; the URL's host still goes in the Host header and TLS's server name.
     */
    public static RequestOptions pinned(HttpMethod method, URI uri, InetAddress address) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new RequestOptions().setMethod(method).setHost(uri.getHost()).setPort(port).setSsl(tls).setURI(path)
                .setFollowRedirects(false).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
    }

    /** Whether an address is on the public internet. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && first != 10 && first != 127 && first < 224
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 169 && second == 254)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    && !(first == 198 && (second == 18 || second == 19));
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
            boolean mappedV4 = isMappedV4(b);
            if (mappedV4) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !uniqueLocal;
        }
        return false;
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
