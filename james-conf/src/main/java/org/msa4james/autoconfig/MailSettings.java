package org.msa4james.autoconfig;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import com.google.common.collect.ImmutableList;

/**
 * The settings mail clients are told: the server's public name and the services of its running listeners, the
 * preferred first (see {@link MailService#PREFERRED_FIRST}); and the ports of its MX listeners, for the MX record.
 * Built afresh for each answer, so that what is published is what runs.
 */
public final class MailSettings {
    private final String hostName;
    private final List<MailService> services;
    private final List<Integer> mxPorts;

    private MailSettings(String hostName, List<MailService> services, List<Integer> mxPorts) {
        this.hostName = hostName;
        this.services = services;
        this.mxPorts = mxPorts;
    }

    public static MailSettings of(String hostName, List<ListenerFacts> listeners) {
        Objects.requireNonNull(hostName, "hostName");
        List<MailService> services = listeners.stream()
            .map(ListenerFacts::publishable)
            .flatMap(Optional::stream)
            .distinct()
            .sorted(MailService.PREFERRED_FIRST)
            .collect(ImmutableList.toImmutableList());
        List<Integer> mxPorts = listeners.stream()
            .filter(ListenerFacts::mx)
            .map(ListenerFacts::port)
            .distinct()
            .sorted()
            .collect(ImmutableList.toImmutableList());
        return new MailSettings(hostName, services, mxPorts);
    }

    /** The name clients connect to (msa.hostname): the certificate of the listeners must carry it. */
    public String hostName() {
        return hostName;
    }

    /** The IMAP services, the preferred first. */
    public List<MailService> imap() {
        return of(MailService.Protocol.IMAP);
    }

    /** The SMTP submission services, the preferred first. */
    public List<MailService> smtp() {
        return of(MailService.Protocol.SMTP);
    }

    /** Whether a client can be set up completely: at least one IMAP and one SMTP service. */
    public boolean complete() {
        return !imap().isEmpty() && !smtp().isEmpty();
    }

    public List<Integer> mxPorts() {
        return mxPorts;
    }

    private List<MailService> of(MailService.Protocol protocol) {
        return services.stream()
            .filter(service -> service.protocol() == protocol)
            .collect(Collectors.toUnmodifiableList());
    }

    @Override
    public String toString() {
        return hostName + " " + services + " MX " + mxPorts;
    }
}
