package org.msa4james.it;

/**
 * Users, domains and aliases every test James is provisioned with (see {@link MsaJamesServer}).
 */
public final class Fixtures {

    public static final String DOMAIN = "example.test";
    /** A second local domain: the target of the test expansion {@code sales=sales.example.test}. */
    public static final String SALES_DOMAIN = "sales.example.test";

    public static final String PASSWORD = "secret-Pa55word";

    public static final String ALICE = "alice@example.test";
    /** An alias of alice's (James recipient rewrite table): she may send from it. */
    public static final String ALICE_ALIAS = "alice.alias@example.test";
    public static final String BOB = "bob@example.test";
    public static final String BOB_AT_SALES = "bob@sales.example.test";
    public static final String POSTMASTER = "postmaster@example.test";

    /** Addresses of a domain that is not local: mail to them leaves through the relay gateway to the Wiser. */
    public static final String CAROL_REMOTE = "carol@example.com";
    public static final String DAVE_REMOTE = "dave@example.com";
    public static final String ERIN_REMOTE = "erin@example.com";
    public static final String MALLORY_REMOTE = "mallory@example.com";

    private Fixtures() {
    }
}
