package org.msa4james.smtp;

import java.net.InetSocketAddress;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;

/**
 * The transport of the test and benchmark SMTP sessions ({@link TestSessions}, org.msa4james.benchmark's
 * BenchmarkSession): it only reports who is connected to port 587 on 127.0.0.1 and how (the TLS session, made once by
 * the caller); hooks do not write to the client.
 */
public final class TestTransport implements ProtocolTransport {
    private final String id;
    private final InetSocketAddress remote;
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 587);
    private final Optional<SSLSession> tlsSession;

    public TestTransport(String id, String clientAddress, Optional<SSLSession> tlsSession) {
        this.id = id;
        this.remote = new InetSocketAddress(clientAddress, 40000);
        this.tlsSession = tlsSession;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isTLSStarted() {
        return tlsSession.isPresent();
    }

    @Override
    public boolean isStartTLSSupported() {
        return true;
    }

    @Override
    public Optional<SSLSession> getSSLSession() {
        return tlsSession;
    }

    @Override
    public boolean isProxyRequired() {
        return false;
    }

    @Override
    public void writeResponse(Response response, ProtocolSession session) {
        throw new UnsupportedOperationException("hooks do not write to the client");
    }

    @Override
    public void popLineHandler() {
    }

    @Override
    public void pushLineHandler(LineHandler<? extends ProtocolSession> overrideCommandHandler, ProtocolSession session) {
    }

    @Override
    public void setReadable(boolean readable) {
    }

    @Override
    public boolean isReadable() {
        return true;
    }
}
