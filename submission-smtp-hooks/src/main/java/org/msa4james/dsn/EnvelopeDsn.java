package org.msa4james.dsn;

import java.util.Objects;
import java.util.Optional;

import org.apache.mailet.DsnParameters;

/**
 * The DSN parameters of one MAIL command (RFC 3461 sections 4.3 and 4.4): RET and ENVID, each absent or given once.
 * The ENVID is kept as the client sent it (xtext), so that it is passed on unchanged.
 */
public final class EnvelopeDsn {
    private static final EnvelopeDsn NONE = new EnvelopeDsn(Optional.empty(), Optional.empty());

    private final Optional<DsnParameters.Ret> ret;
    private final Optional<DsnParameters.EnvId> envId;

    private EnvelopeDsn(Optional<DsnParameters.Ret> ret, Optional<DsnParameters.EnvId> envId) {
        this.ret = ret;
        this.envId = envId;
    }

    public static EnvelopeDsn none() {
        return NONE;
    }

    public static EnvelopeDsn of(Optional<DsnParameters.Ret> ret, Optional<DsnParameters.EnvId> envId) {
        return ret.isEmpty() && envId.isEmpty() ? NONE : new EnvelopeDsn(ret, envId);
    }

    public Optional<DsnParameters.Ret> ret() {
        return ret;
    }

    public Optional<DsnParameters.EnvId> envId() {
        return envId;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof EnvelopeDsn)) {
            return false;
        }
        EnvelopeDsn that = (EnvelopeDsn) other;
        return ret.equals(that.ret) && envId.equals(that.envId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ret, envId);
    }

    @Override
    public String toString() {
        return "EnvelopeDsn{ret=" + ret + ", envId=" + envId.map(DsnParameters.EnvId::asString) + "}";
    }
}
