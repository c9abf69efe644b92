package org.msa4james.it;

/**
 * The SMTP listeners of the shipped configuration, named by their {@code jmxName} in smtpserver.xml.
 */
public enum Listener {
    /** Port 25 role: James as MX; STARTTLS offered, AUTH not announced, no submission rules. */
    MX("smtpserver-mx", false),
    /** Port 587 role: submission with STARTTLS, AUTH only after TLS. */
    SUBMISSION("smtpserver-submission", false),
    /** Port 465 role: submission over implicit TLS (RFC 8314). */
    SUBMISSIONS("smtpserver-submissions", true);

    private final String jmxName;
    private final boolean implicitTls;

    Listener(String jmxName, boolean implicitTls) {
        this.jmxName = jmxName;
        this.implicitTls = implicitTls;
    }

    public String jmxName() {
        return jmxName;
    }

    public boolean implicitTls() {
        return implicitTls;
    }
}
