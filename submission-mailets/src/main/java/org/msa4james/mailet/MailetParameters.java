package org.msa4james.mailet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.mail.MessagingException;

import org.apache.mailet.MailetConfig;
import org.msa4james.config.ParameterValues;

import com.google.common.collect.ImmutableSet;

/**
 * Reads the init parameters of one mailet, refusing unknown parameters and bad values with a message that names
 * the mailet and the parameter, so that James stops at start instead of running with a silent default.
 *
 * <p>The parameters that James's mailet container itself reads on every mailet ({@code onMailetException},
 * {@code onMatchException}) are always allowed.</p>
 */
public final class MailetParameters {
    private static final Set<String> CONTAINER_PARAMETERS = ImmutableSet.of("onMailetException", "onMatchException");

    private final MailetConfig config;
    private final String mailetName;

    private MailetParameters(MailetConfig config, String mailetName) {
        this.config = config;
        this.mailetName = mailetName;
    }

    /**
     * @throws MessagingException naming the first parameter that is not one of {@code knownParameters}
     */
    public static MailetParameters of(MailetConfig config, Class<?> mailet, String... knownParameters) throws MessagingException {
        return withPrefix(config, mailet, Optional.empty(), knownParameters);
    }

    /**
     * As {@link #of}, parameters whose name starts with {@code knownPrefix} being known too (e.g. "mail." for the
     * JavaMail properties a mailet passes on).
     *
     * @throws MessagingException naming the first parameter that is neither known nor prefixed
     */
    public static MailetParameters withPrefix(MailetConfig config, Class<?> mailet, Optional<String> knownPrefix,
                                              String... knownParameters) throws MessagingException {
        MailetParameters parameters = new MailetParameters(config, mailet.getName());
        Set<String> known = ImmutableSet.copyOf(knownParameters);
        for (Iterator<String> names = config.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name) && !CONTAINER_PARAMETERS.contains(name)
                    && knownPrefix.map(prefix -> !name.startsWith(prefix)).orElse(true)) {
                throw new MessagingException(parameters.message(name, "is not a parameter of this mailet; known parameters: "
                    + (known.isEmpty() ? "none" : String.join(", ", knownParameters))
                    + knownPrefix.map(prefix -> ", and any starting with '" + prefix + "'").orElse("")));
            }
        }
        return parameters;
    }

    /** The trimmed value, empty when absent or blank. */
    public Optional<String> optionalString(String parameter) {
        return Optional.ofNullable(config.getInitParameter(parameter))
            .map(String::trim)
            .filter(value -> !value.isEmpty());
    }

    public String requiredString(String parameter) throws MessagingException {
        Optional<String> value = optionalString(parameter);
        if (value.isEmpty()) {
            throw new MessagingException(message(parameter, "is required"));
        }
        return value.get();
    }

    public boolean booleanValue(String parameter, boolean defaultValue) throws MessagingException {
        return typed(parameter, defaultValue, ParameterValues::parseBoolean);
    }

    public int positiveInt(String parameter, int defaultValue) throws MessagingException {
        return typed(parameter, defaultValue, ParameterValues::parsePositiveInt);
    }

    /** A whole number, 0 or more. */
    public int nonNegativeInt(String parameter, int defaultValue) throws MessagingException {
        return typed(parameter, defaultValue, value -> {
            try {
                int parsed = Integer.parseInt(value.trim());
                if (parsed >= 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be a whole number, 0 or more, not '" + value + "'");
        });
    }

    private <T> T typed(String parameter, T defaultValue, Function<String, T> parser) throws MessagingException {
        Optional<String> value = optionalString(parameter);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return parser.apply(value.get());
        } catch (IllegalArgumentException e) {
            throw new MessagingException(message(parameter, e.getMessage()));
        }
    }

    /** A comma- or space-separated list; empty when absent. */
    public List<String> list(String parameter) {
        List<String> result = new ArrayList<>();
        optionalString(parameter).ifPresent(value -> {
            for (String item : value.split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    result.add(item);
                }
            }
        });
        return List.copyOf(result);
    }

    /**
     * Parses a parameter (the empty string when absent) with a parser that throws IllegalArgumentException on a
     * bad value; the exception's message is kept in the error.
     */
    public <T> T parsed(String parameter, Function<String, T> parser) throws MessagingException {
        String value = optionalString(parameter).orElse("");
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new MessagingException(message(parameter, "is invalid: " + e.getMessage()));
        }
    }

    /** An error about a parameter, worded like the others, for checks the mailet makes itself. */
    public MessagingException invalid(String parameter, String problem) {
        return new MessagingException(message(parameter, problem));
    }

    private String message(String parameter, String problem) {
        return "Mailet " + mailetName + ": parameter '" + parameter + "' " + problem;
    }
}
