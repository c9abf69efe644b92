package org.msa4james.it;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.protocols.lib.netty.AbstractServerFactory;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * Finds the ports the SMTP and IMAP listeners really bound (the test configuration binds port 0).
 *
 * <p>James gives no getter for a listener's {@code jmxName}; every enabled listener is however
 * registered in the platform MBean server as {@code org.apache.james:type=server,name=<jmxName>}
 * with its bound addresses. The probe takes the listeners from the server factories and names each
 * by the MBean that reports the same ports.
 */
public class ListenerPortsProbe implements GuiceProbe {

    private static final String SERVER_MBEANS = "org.apache.james:type=server,name=*";

    private final SMTPServerFactory smtpServerFactory;
    private final IMAPServerFactory imapServerFactory;

    @Inject
    ListenerPortsProbe(SMTPServerFactory smtpServerFactory, IMAPServerFactory imapServerFactory) {
        this.smtpServerFactory = smtpServerFactory;
        this.imapServerFactory = imapServerFactory;
    }

    /** Every enabled SMTP listener: jmxName to bound port. */
    public Map<String, Integer> smtpPorts() {
        return portsByJmxName(smtpServerFactory);
    }

    /** Every enabled IMAP listener: jmxName to bound port. */
    public Map<String, Integer> imapPorts() {
        return portsByJmxName(imapServerFactory);
    }

    /** The IMAP listener that offers STARTTLS. */
    public int imapStartTlsPort() {
        return imapPort(AbstractConfigurableAsyncServer::getStartTLSSupported, "STARTTLS");
    }

    /** The IMAP listener that speaks TLS from the first byte. */
    public int imapImplicitTlsPort() {
        return imapPort(server -> server.getSocketType().equals("secure"), "implicit TLS");
    }

    private int imapPort(Predicate<AbstractConfigurableAsyncServer> filter, String what) {
        List<Integer> ports = enabledServers(imapServerFactory).stream()
            .filter(filter)
            .map(ListenerPortsProbe::firstPort)
            .collect(Collectors.toList());
        if (ports.size() != 1) {
            throw new IllegalStateException("Expected exactly one " + what + " IMAP listener, found ports " + ports);
        }
        return ports.get(0);
    }

    private static Map<String, Integer> portsByJmxName(AbstractServerFactory factory) {
        Map<Set<Integer>, String> jmxNamesByPorts = jmxNamesByBoundPorts();
        ImmutableMap.Builder<String, Integer> ports = ImmutableMap.builder();
        for (AbstractConfigurableAsyncServer server : enabledServers(factory)) {
            Set<Integer> serverPorts = server.getListenAddresses().stream()
                .map(InetSocketAddress::getPort)
                .collect(ImmutableSet.toImmutableSet());
            String jmxName = jmxNamesByPorts.get(serverPorts);
            if (jmxName == null) {
                throw new IllegalStateException("No server MBean reports the ports " + serverPorts + " (" + jmxNamesByPorts + ")");
            }
            ports.put(jmxName, firstPort(server));
        }
        return ports.build();
    }

    private static List<AbstractConfigurableAsyncServer> enabledServers(AbstractServerFactory factory) {
        return factory.getServers().stream()
            .filter(AbstractConfigurableAsyncServer::isEnabled)
            .collect(Collectors.toList());
    }

    private static int firstPort(AbstractConfigurableAsyncServer server) {
        return server.getListenAddresses().stream()
            .findFirst()
            .map(InetSocketAddress::getPort)
            .orElseThrow(() -> new IllegalStateException(server.getServiceType() + " is not bound"));
    }

    private static Map<Set<Integer>, String> jmxNamesByBoundPorts() {
        MBeanServer mbeanServer = ManagementFactory.getPlatformMBeanServer();
        try {
            ImmutableMap.Builder<Set<Integer>, String> names = ImmutableMap.builder();
            for (ObjectName name : mbeanServer.queryNames(new ObjectName(SERVER_MBEANS), null)) {
                Object boundAddresses = mbeanServer.getAttribute(name, "BoundAddresses");
                if (!(boundAddresses instanceof String[])) {
                    continue;
                }
                Set<Integer> ports = Arrays.stream((String[]) boundAddresses)
                    .map(address -> Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))
                    .collect(ImmutableSet.toImmutableSet());
                if (!ports.isEmpty()) {
                    names.put(ports, name.getKeyProperty("name"));
                }
            }
            return names.buildOrThrow();
        } catch (JMException e) {
            throw new IllegalStateException("Cannot read the James server MBeans", e);
        }
    }
}
