package org.msa4james.diagnostics;

import java.util.Objects;

/** Who (authenticated user, else client address), with which client software, got what wrong. */
public final class DiagnosticKey {
    private final String subject;
    private final String clientSoftware;
    private final Defect defect;

    public DiagnosticKey(String subject, String clientSoftware, Defect defect) {
        this.subject = Objects.requireNonNull(subject, "subject");
        this.clientSoftware = Objects.requireNonNull(clientSoftware, "clientSoftware");
        this.defect = Objects.requireNonNull(defect, "defect");
    }

    public String subject() {
        return subject;
    }

    public String clientSoftware() {
        return clientSoftware;
    }

    public Defect defect() {
        return defect;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DiagnosticKey)) {
            return false;
        }
        DiagnosticKey other = (DiagnosticKey) o;
        return subject.equals(other.subject) && clientSoftware.equals(other.clientSoftware) && defect == other.defect;
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, clientSoftware, defect);
    }

    @Override
    public String toString() {
        return "(" + subject + ", " + clientSoftware + ", " + defect.id() + ")";
    }
}
