package org.msa4james.autoconfig;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import com.google.common.collect.ImmutableMap;

/**
 * What the self-configuration listener answers to one request: a status, a content type, a body and extra header
 * fields. Errors carry a one-line plain-text reason that never repeats what the client sent.
 */
public final class HttpAnswer {
    public static final String TEXT = "text/plain; charset=utf-8";

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers;

    private HttpAnswer(int status, String contentType, byte[] body, Map<String, String> headers) {
        this.status = status;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.body = body.clone();
        this.headers = ImmutableMap.copyOf(headers);
    }

    public static HttpAnswer ok(String contentType, byte[] body) {
        return new HttpAnswer(200, contentType, body, Map.of());
    }

    /** {@code status}, and the body {@code "<status> <reason phrase>: <reason>"} on one line. */
    public static HttpAnswer error(int status, String phrase, String reason) {
        return new HttpAnswer(status, TEXT, (status + " " + phrase + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public HttpAnswer withHeader(String name, String value) {
        return new HttpAnswer(status, contentType, body, ImmutableMap.<String, String>builder()
            .putAll(headers).put(name, value).build());
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body.clone();
    }

    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String toString() {
        return status + " " + contentType + " (" + body.length + " octets)";
    }
}
