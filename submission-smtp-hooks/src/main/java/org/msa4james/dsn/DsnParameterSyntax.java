package org.msa4james.dsn;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.DsnParameters.XText;

/**
 * The DSN parameters of RFC 3461 section 4, read from a MAIL or RCPT command as the client sent it: RET and ENVID on
 * MAIL, NOTIFY and ORCPT on RCPT. Each is checked against the RFC's syntax and may appear once; the first parameter
 * that is malformed or repeated is reported by name. Other ESMTP parameters are left alone (James handles them).
 *
 * <p>The values become James's own {@link DsnParameters} types, the representation James keeps with a mail. An ORCPT
 * is stored decoded from xtext (James holds it as a {@link MailAddress}): only the address type {@code rfc822} is
 * accepted, because an address of another type could not be kept.</p>
 *
 * <p>The parameters are found where James 3.8.1 finds them, so that both read the same ones: on MAIL after the first
 * {@code >} that follows the first {@code <}, on RCPT after the last {@code >}, separated from it by a space.</p>
 */
public final class DsnParameterSyntax {
    public static final String RET = DsnParameters.RET_PARAMETER;
    public static final String ENVID = DsnParameters.ENVID_PARAMETER;
    public static final String NOTIFY = DsnParameters.NOTIFY_PARAMETER;
    public static final String ORCPT = DsnParameters.ORCPT_PARAMETER;
    /** RFC 3461 section 4.4: an ENVID is at most 100 characters. */
    public static final int MAX_ENVID_LENGTH = 100;
    /** RFC 3461 section 4.2: an ORCPT value is at most 500 characters. */
    public static final int MAX_ORCPT_LENGTH = 500;

    private static final Set<String> MAIL_PARAMETERS = Set.of(RET, ENVID);
    private static final Set<String> RCPT_PARAMETERS = Set.of(NOTIFY, ORCPT);
    private static final String RFC822 = "rfc822";
    private static final String VALUE_REQUIRED = "a value is required";

    private DsnParameterSyntax() {
    }

    /**
     * The RET and ENVID of a MAIL command.
     *
     * @param argument the command's argument, e.g. {@code FROM:<alice@example.test> RET=HDRS ENVID=QQ314159}
     * @throws InvalidDsnParameterException naming the first DSN parameter that is malformed or repeated
     */
    public static EnvelopeDsn mail(String argument) throws InvalidDsnParameterException {
        Optional<DsnParameters.Ret> ret = Optional.empty();
        Optional<DsnParameters.EnvId> envId = Optional.empty();
        for (Map.Entry<String, String> parameter : dsnParameters(parameters(argument, false), MAIL_PARAMETERS).entrySet()) {
            if (parameter.getKey().equals(RET)) {
                ret = Optional.of(ret(parameter.getValue()));
            } else {
                envId = Optional.of(envId(parameter.getValue()));
            }
        }
        return EnvelopeDsn.of(ret, envId);
    }

    /**
     * The NOTIFY and ORCPT of an RCPT command, when it has any.
     *
     * @param argument the command's argument, e.g. {@code TO:<bob@example.com> NOTIFY=SUCCESS,FAILURE}
     * @throws InvalidDsnParameterException naming the first DSN parameter that is malformed or repeated
     */
    public static Optional<RecipientDsnParameters> recipient(String argument) throws InvalidDsnParameterException {
        return recipient(dsnParameters(parameters(argument, true), RCPT_PARAMETERS));
    }

    /**
     * NOTIFY and ORCPT from the parameters James parsed from an RCPT command (keyword in upper case to value, "" for a
     * keyword without value), checked in the order given.
     */
    public static Optional<RecipientDsnParameters> recipient(Map<String, String> rcptParameters) throws InvalidDsnParameterException {
        Optional<EnumSet<Notify>> notify = Optional.empty();
        Optional<MailAddress> orcpt = Optional.empty();
        for (Map.Entry<String, String> parameter : rcptParameters.entrySet()) {
            if (parameter.getKey().equals(NOTIFY)) {
                notify = Optional.of(notify(parameter.getValue()));
            } else if (parameter.getKey().equals(ORCPT)) {
                orcpt = Optional.of(orcpt(parameter.getValue()));
            }
        }
        return RecipientDsnParameters.of(notify, orcpt);
    }

    /** RFC 3461 section 4.3: {@code FULL} or {@code HDRS}, in any case. */
    static DsnParameters.Ret ret(String value) throws InvalidDsnParameterException {
        requireValue(RET, value);
        return DsnParameters.Ret.parse(value)
            .orElseThrow(() -> InvalidDsnParameterException.malformed(RET, "must be FULL or HDRS"));
    }

    /** RFC 3461 section 4.4: xtext of at most 100 characters. */
    static DsnParameters.EnvId envId(String value) throws InvalidDsnParameterException {
        requireValue(ENVID, value);
        if (!XText.isValid(value)) {
            throw InvalidDsnParameterException.malformed(ENVID, "must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)");
        }
        if (value.length() > MAX_ENVID_LENGTH) {
            throw InvalidDsnParameterException.malformed(ENVID, "must be at most " + MAX_ENVID_LENGTH + " characters");
        }
        return DsnParameters.EnvId.of(value);
    }

    /** RFC 3461 section 4.1: {@code NEVER}, or one or more of SUCCESS, FAILURE and DELAY, each once, comma separated. */
    static EnumSet<Notify> notify(String value) throws InvalidDsnParameterException {
        requireValue(NOTIFY, value);
        EnumSet<Notify> result = EnumSet.noneOf(Notify.class);
        for (String keyword : value.split(",", -1)) {
            Optional<Notify> notify = Notify.parseValue(keyword);
            if (notify.isEmpty() || result.contains(notify.get())) {
                throw InvalidDsnParameterException.malformed(NOTIFY,
                    "must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once");
            }
            result.add(notify.get());
        }
        if (result.contains(Notify.NEVER) && result.size() > 1) {
            throw InvalidDsnParameterException.malformed(NOTIFY, "NEVER cannot be combined with SUCCESS, FAILURE or DELAY");
        }
        return result;
    }

    /** RFC 3461 section 4.2: {@code rfc822;} and the address in xtext, at most 500 characters in all. */
    static MailAddress orcpt(String value) throws InvalidDsnParameterException {
        requireValue(ORCPT, value);
        int semicolon = value.indexOf(';');
        if (semicolon <= 0) {
            throw InvalidDsnParameterException.malformed(ORCPT, "must be an address type, ';' and the address, e.g. rfc822;bob@example.com");
        }
        if (!value.substring(0, semicolon).equalsIgnoreCase(RFC822)) {
            throw InvalidDsnParameterException.malformed(ORCPT, "only the address type rfc822 is supported");
        }
        if (value.length() > MAX_ORCPT_LENGTH) {
            throw InvalidDsnParameterException.malformed(ORCPT, "must be at most " + MAX_ORCPT_LENGTH + " characters");
        }
        String address = value.substring(semicolon + 1);
        if (address.isEmpty() || !XText.isValid(address)) {
            throw InvalidDsnParameterException.malformed(ORCPT,
                "the address must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)");
        }
        try {
            return new MailAddress(XText.decode(address));
        } catch (AddressException | RuntimeException e) {
            throw InvalidDsnParameterException.malformed(ORCPT, "the address is not a valid mail address");
        }
    }

    private static void requireValue(String parameter, String value) throws InvalidDsnParameterException {
        if (value == null || value.isEmpty()) {
            throw InvalidDsnParameterException.malformed(parameter, VALUE_REQUIRED);
        }
    }

    /** The values of the wanted keywords (upper case), in the order given; a keyword without '=' maps to null. */
    private static Map<String, String> dsnParameters(List<String> parameters, Set<String> wanted) throws InvalidDsnParameterException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            String keyword = (equals > 0 ? parameter.substring(0, equals) : parameter).toUpperCase(Locale.US);
            if (!wanted.contains(keyword)) {
                continue;
            }
            if (values.containsKey(keyword)) {
                throw InvalidDsnParameterException.repeated(keyword);
            }
            values.put(keyword, equals > 0 ? parameter.substring(equals + 1) : null);
        }
        return values;
    }

    /** The ESMTP parameters of a MAIL or RCPT argument, found as James finds them. */
    static List<String> parameters(String argument, boolean recipient) {
        List<String> result = new ArrayList<>();
        if (argument == null) {
            return result;
        }
        int colon = argument.indexOf(':');
        if (colon <= 0) {
            return result;
        }
        String path = argument.substring(colon + 1).trim();
        int close = recipient ? path.lastIndexOf('>') : path.indexOf('>', path.indexOf('<'));
        if (close <= 0 || path.length() <= close + 2 || path.charAt(close + 1) != ' ') {
            return result;
        }
        for (String parameter : path.substring(close + 2).split(" ")) {
            if (!parameter.isEmpty()) {
                result.add(parameter);
            }
        }
        return result;
    }
}
