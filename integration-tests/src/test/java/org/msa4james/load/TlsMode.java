package org.msa4james.load;

/** How the load generator encrypts its SMTP connections. */
public enum TlsMode {
    /** Plain connection, EHLO, STARTTLS, EHLO again (the submission port, 587). */
    STARTTLS,
    /** TLS from the first byte, then EHLO (RFC 8314, the submissions port, 465). */
    IMPLICIT
}
