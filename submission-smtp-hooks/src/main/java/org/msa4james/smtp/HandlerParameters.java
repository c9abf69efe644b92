package org.msa4james.smtp;

import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.msa4james.config.ParameterValues;
import org.msa4james.storage.ByteSize;

import com.google.common.collect.ImmutableSet;

/**
 * Reads the parameters of one handler element of smtpserver.xml, refusing unknown parameters and bad values
 * with a message that names the handler and the parameter, so that James stops at start instead of running
 * with a silent default.
 */
final class HandlerParameters {
    private static final String CLASS_ATTRIBUTE = "[@class]";

    private final Configuration configuration;
    private final String handlerName;

    private HandlerParameters(Configuration configuration, String handlerName) {
        this.configuration = configuration;
        this.handlerName = handlerName;
    }

    static HandlerParameters of(Configuration configuration, Class<?> handler, String... knownParameters) throws ConfigurationException {
        HandlerParameters parameters = new HandlerParameters(configuration, handler.getName());
        parameters.rejectUnknown(ImmutableSet.copyOf(knownParameters));
        return parameters;
    }

    private void rejectUnknown(Set<String> knownParameters) throws ConfigurationException {
        for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.equals(CLASS_ATTRIBUTE)) {
                continue;
            }
            String parameter = parameterName(key);
            if (!knownParameters.contains(parameter)) {
                throw new ConfigurationException(message(parameter, "is not a parameter of this handler; known parameters: "
                    + (knownParameters.isEmpty() ? "none" : String.join(", ", knownParameters))));
            }
        }
    }

    private static String parameterName(String key) {
        int end = key.length();
        for (char separator : new char[] {'.', '['}) {
            int index = key.indexOf(separator);
            if (index >= 0) {
                end = Math.min(end, index);
            }
        }
        return key.substring(0, end);
    }

    Optional<String> optionalString(String parameter) {
        return Optional.ofNullable(configuration.getString(parameter, null))
            .map(String::trim)
            .filter(value -> !value.isEmpty());
    }

    String requiredString(String parameter) throws ConfigurationException {
        return optionalString(parameter)
            .orElseThrow(() -> new ConfigurationException(message(parameter, "is required")));
    }

    boolean booleanValue(String parameter, boolean defaultValue) throws ConfigurationException {
        return typed(parameter, defaultValue, ParameterValues::parseBoolean);
    }

    int positiveInt(String parameter, int defaultValue) throws ConfigurationException {
        return typed(parameter, defaultValue, ParameterValues::parsePositiveInt);
    }

    /** A size such as 128MiB (see {@link ByteSize}); 0 allowed. */
    long byteSize(String parameter, long defaultValue) throws ConfigurationException {
        return typed(parameter, defaultValue, ByteSize::parse);
    }

    private <T> T typed(String parameter, T defaultValue, Function<String, T> parser) throws ConfigurationException {
        Optional<String> value = optionalString(parameter);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return parser.apply(value.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(message(parameter, e.getMessage()));
        }
    }

    /** Parses a parameter with a parser that throws IllegalArgumentException on a bad value. */
    <T> T parsed(String parameter, Function<String, T> parser) throws ConfigurationException {
        String value = optionalString(parameter).orElse("");
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(message(parameter, "is invalid: " + e.getMessage()));
        }
    }

    String message(String parameter, String problem) {
        return "Handler " + handlerName + ": parameter '" + parameter + "' " + problem;
    }
}
