package org.msa4james.diagnostics.webadmin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.msa4james.diagnostics.Defect;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.DiagnosticsStore;
import org.msa4james.diagnostics.DiagnosticsUnavailableException;

import com.google.common.collect.ImmutableList;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The webadmin routes of the client diagnostics, loaded by {@code extensions.routes} in {@code webadmin.properties}:
 * <ul>
 *   <li>{@code GET /submission/diagnostics[?user=&defect=&since=]}: the entries as a JSON array;</li>
 *   <li>{@code GET /submission/diagnostics/users/{user}[?defect=&since=]}: one user's (or client address's);</li>
 *   <li>{@code DELETE /submission/diagnostics}: forgets every entry, 204.</li>
 * </ul>
 * A bad parameter is answered 400 with James's JSON error (statusCode, type, message); a store that cannot answer
 * now (the shared Redis of a cluster does not) 503.
 */
public class DiagnosticsRoutes implements Routes {
    public static final String BASE_PATH = "/submission/diagnostics";
    private static final String USERS_PATH = BASE_PATH + "/users/:user";
    private static final String USER = "user";
    private static final String DEFECT = "defect";
    private static final String SINCE = "since";

    private final DiagnosticsStore store;
    private final JsonTransformer jsonTransformer;

    @Inject
    public DiagnosticsRoutes(DiagnosticsStore store, JsonTransformer jsonTransformer) {
        this.store = store;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::list, jsonTransformer);
        service.get(USERS_PATH, this::listUser, jsonTransformer);
        service.delete(BASE_PATH, this::reset);
    }

    private List<DiagnosticEntryDto> list(Request request, Response response) {
        DiagnosticFilter filter = new DiagnosticFilter(user(Optional.ofNullable(request.queryParams(USER))),
            defect(request), since(request));
        return entries(filter);
    }

    private List<DiagnosticEntryDto> listUser(Request request, Response response) {
        DiagnosticFilter filter = new DiagnosticFilter(user(Optional.ofNullable(request.params(USER))),
            defect(request), since(request));
        return entries(filter);
    }

    private String reset(Request request, Response response) {
        try {
            store.reset();
        } catch (DiagnosticsUnavailableException e) {
            throw unavailable(e);
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private List<DiagnosticEntryDto> entries(DiagnosticFilter filter) {
        try {
            return store.list(filter).stream()
                .map(DiagnosticEntryDto::new)
                .collect(ImmutableList.toImmutableList());
        } catch (DiagnosticsUnavailableException e) {
            throw unavailable(e);
        }
    }

    private static Optional<String> user(Optional<String> value) {
        if (value.isPresent() && value.get().trim().isEmpty()) {
            throw badRequest("'user' must not be empty");
        }
        return value;
    }

    private static Optional<Defect> defect(Request request) {
        Optional<String> value = Optional.ofNullable(request.queryParams(DEFECT));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Defect.fromId(value.get()).orElseThrow(() -> badRequest("Unknown defect '" + value.get()
            + "'; known defects: " + Arrays.stream(Defect.values()).map(Defect::id).collect(Collectors.joining(", ")))));
    }

    private static Optional<Instant> since(Request request) {
        Optional<String> value = Optional.ofNullable(request.queryParams(SINCE));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.get()));
        } catch (DateTimeParseException e) {
            throw badRequest("'since' must be an ISO-8601 instant such as 2024-01-31T08:00:00Z, got '" + value.get() + "'");
        }
    }

    private static RuntimeException unavailable(DiagnosticsUnavailableException e) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.SERVICE_UNAVAILABLE_503)
            .type(ErrorType.SERVER_ERROR)
            .message(e.getMessage())
            .haltError();
    }

    private static RuntimeException badRequest(String message) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.BAD_REQUEST_400)
            .type(ErrorType.INVALID_ARGUMENT)
            .message(message)
            .haltError();
    }
}
