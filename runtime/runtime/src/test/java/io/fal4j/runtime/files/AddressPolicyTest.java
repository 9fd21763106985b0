package io.fal4j.runtime.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    @Test
    void internalAddressesAreNotPublic() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1",
                "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254", "224.0.0.1",
                "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1",
                "::ffff:10.0.0.1", "198.18.0.1"}) {
            assertFalse(AddressPolicy.isPublic(InetAddress.getByName(internal)), internal);
        }
    }

    @Test
    void publicAddressesArePublic() throws Exception {
        for (String external : new String[] {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "93.184.216.34",
                "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
            assertTrue(AddressPolicy.isPublic(InetAddress.getByName(external)), external);
        }
    }

    @Test
    void refusesLoopbackNamesUnlessAllowed() throws Exception {
        DownloadException refused = assertThrows(DownloadException.class,
                () -> new AddressPolicy(false).resolve("localhost"));
        assertTrue(refused.getMessage().contains("does not download from"), refused.getMessage());
        assertTrue(new AddressPolicy(true).resolve("localhost").get(0).isLoopbackAddress());
        assertThrows(DownloadException.class, () -> new AddressPolicy(true).resolve("no-such-host.invalid"));
    }

    @Test
    void oneInternalAddressAmongPublicOnesRefusesTheHost() {
        AddressPolicy policy = new AddressPolicy(false, host -> new InetAddress[] {
                InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.1")});
        DownloadException refused = assertThrows(DownloadException.class, () -> policy.resolve("mixed.test"));
        assertTrue(refused.getMessage().contains("does not download from"), refused.getMessage());
    }
}
