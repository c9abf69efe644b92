package org.msa4james.abuse;

import java.util.Locale;

/** The keys under which failed AUTH are counted. */
public final class AuthFailureKeys {
    private AuthFailureKeys() {
    }

    public static String address(String clientAddress) {
        return "address:" + clientAddress;
    }

    public static String addressAndUser(String clientAddress, String user) {
        return "address-user:" + clientAddress + "/" + user.toLowerCase(Locale.ROOT);
    }
}
