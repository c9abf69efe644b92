package org.msa4james.it;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;

/**
 * One SMTP reply as it came over the wire: every line, with the code, the enhanced status code
 * (RFC 3463) and the text of the last line parsed out.
 */
public final class SmtpReply {

    private static final Pattern LINE = Pattern.compile("^(\\d{3})([ -])(.*)$");
    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?: (.*))?$");

    private final List<String> lines;

    SmtpReply(List<String> lines) {
        Preconditions.checkArgument(!lines.isEmpty(), "an SMTP reply has at least one line");
        for (String line : lines) {
            Preconditions.checkArgument(LINE.matcher(line).matches(), "not an SMTP reply line: '%s'", line);
        }
        this.lines = ImmutableList.copyOf(lines);
    }

    /** Every line as received, without CRLF. */
    public List<String> lines() {
        return lines;
    }

    /** The last line, "code SP [enhanced-code SP] text", as received. */
    public String line() {
        return lines.get(lines.size() - 1);
    }

    public int code() {
        return Integer.parseInt(line().substring(0, 3));
    }

    /** The enhanced status code of the last line, e.g. "5.7.0", if it carries one. */
    public Optional<String> enhancedCode() {
        Matcher enhanced = ENHANCED.matcher(afterCode(line()));
        return enhanced.matches() ? Optional.of(enhanced.group(1)) : Optional.empty();
    }

    /** The text of the last line after the code and the enhanced status code. */
    public String text() {
        String rest = afterCode(line());
        Matcher enhanced = ENHANCED.matcher(rest);
        if (enhanced.matches()) {
            return Optional.ofNullable(enhanced.group(2)).orElse("");
        }
        return rest;
    }

    /**
     * The EHLO keywords (upper case), i.e. the first word of every line but the greeting line.
     */
    public List<String> ehloKeywords() {
        return lines.stream()
            .skip(1)
            .map(SmtpReply::afterCode)
            .map(rest -> rest.split(" ", 2)[0].toUpperCase(Locale.ROOT))
            .collect(ImmutableList.toImmutableList());
    }

    /** The parameters announced with an EHLO keyword, e.g. the mechanisms of AUTH. */
    public List<String> ehloParameters(String keyword) {
        return lines.stream()
            .skip(1)
            .map(SmtpReply::afterCode)
            .map(rest -> rest.split(" "))
            .filter(words -> words[0].equalsIgnoreCase(keyword))
            .flatMap(words -> ImmutableList.copyOf(words).subList(1, words.length).stream())
            .collect(ImmutableList.toImmutableList());
    }

    private static String afterCode(String line) {
        return line.length() > 4 ? line.substring(4) : "";
    }

    @Override
    public String toString() {
        return lines.stream().collect(Collectors.joining("\\r\\n"));
    }
}
