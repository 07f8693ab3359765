package org.downwatch.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/incident-groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents")
public class IncidentGroupsResource {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    @Schema(name = "IncidentGroupList", description = "Groups newest first")
    record GroupList(List<IncidentGroups.Group> items,
            @Schema(description = "Incidents starting within this of a group's first one are in the group") Duration window) {
    }

    private final IncidentGroupReader reader;

    IncidentGroupsResource(IncidentGroupReader reader) {
        this.reader = reader;
    }

    @GET
    @Operation(summary = "List groups of simultaneous incidents", description = "Incidents of several services (at least "
            + "two) that started within `window` of the group's first one, for incidents started in [from, to) (default "
            + "the last 24 hours, at most 31 days). A group names the provider most of whose services are in it as the "
            + "likely common cause, and marks ISP or mobile operator incidents that are collateral reports.")
    @APIResponse(responseCode = "200", description = "The groups",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupList.class)))
    @APIResponse(responseCode = "400", description = "Invalid parameter (named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GroupList list(
            @Parameter(description = "Incidents started at or after this instant (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "Incidents started before this instant (ISO-8601); default now") @QueryParam("to") String to,
            @Parameter(description = "ISO-8601 duration from PT1M to PT1H", schema = @Schema(type = SchemaType.STRING,
                    defaultValue = "PT10M")) @QueryParam("window") String window) {
        Params.Range r = Params.range(from, to, Instant.now(), Duration.ofMinutes(1));
        Duration w = DEFAULT_WINDOW;
        if (window != null && !window.isBlank()) {
            try {
                w = Duration.parse(window.trim());
            } catch (java.time.format.DateTimeParseException e) {
                w = Duration.ZERO;
            }
            if (w.compareTo(Duration.ofMinutes(1)) < 0 || w.compareTo(Duration.ofHours(1)) > 0) {
                throw ProblemException.invalid("window", "must be an ISO-8601 duration from PT1M to PT1H");
            }
        }
        List<IncidentGroups.Group> groups = new java.util.ArrayList<>(reader.groups(r.from(), r.to(), w));
        java.util.Collections.reverse(groups);
        return new GroupList(groups, w);
    }
}
