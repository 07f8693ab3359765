package org.downwatch.notify;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.downwatch.notify.WebhookModels.Delivery;
import org.downwatch.notify.WebhookModels.DeliveryList;
import org.downwatch.notify.WebhookModels.Subscription;
import org.downwatch.notify.WebhookModels.SubscriptionCreated;
import org.downwatch.notify.WebhookModels.SubscriptionList;
import org.downwatch.notify.WebhookModels.SubscriptionRequest;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Webhook subscriptions of the calling API key ({@code X-Api-Key}): each key sees and manages its own only.
 * Answers are private to the key: never cached by a shared cache.
 */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Be told when an incident opens, changes or closes (Standard Webhooks)")
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "No valid X-Api-Key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class WebhookResource {

    static final int DEFAULT_DELIVERIES = 20;
    static final int MAX_DELIVERIES = 100;

    private final WebhookSubscriptions subscriptions;

    WebhookResource(WebhookSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe", description = "Creates a subscription to the incidents of one service, one category "
            + "or all services. The answer holds the signing secret, shown this once. Each delivery is a POST of a "
            + "WebhookEvent with the headers webhook-id, webhook-timestamp and webhook-signature; any 2xx is a success, "
            + "anything else is retried with exponential backoff for a day; 410 disables the subscription.")
    @APIResponse(responseCode = "201", description = "Created; Location points to it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionCreated.class)))
    @APIResponse(responseCode = "400", description = "Invalid field (named in errors[].field), or a non-public target",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey, SubscriptionRequest body) {
        SubscriptionCreated created = subscriptions.create(key(apiKey), body);
        return Response.created(URI.create("/api/v1/webhooks/" + created.id())).entity(created)
                .cacheControl(privately()).build();
    }

    @GET
    @Operation(summary = "List subscriptions", description = "The subscriptions of this API key (without their secrets)")
    @APIResponse(responseCode = "200", description = "The subscriptions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubscriptionList.class)))
    public Response list(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey) {
        return ok(new SubscriptionList(subscriptions.list(key(apiKey))));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a subscription")
    @APIResponse(responseCode = "200", description = "The subscription",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Subscription.class)))
    @APIResponse(responseCode = "404", description = "This API key has no such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey,
            @Parameter(description = "The subscription's id") @PathParam("id") String id) {
        return ok(subscriptions.get(key(apiKey), id(id)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Unsubscribe", description = "Deletes the subscription and its deliveries")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "This API key has no such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey,
            @Parameter(description = "The subscription's id") @PathParam("id") String id) {
        subscriptions.delete(key(apiKey), id(id));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @Operation(summary = "Enable a subscription again", description = "After it was disabled for failing: forgets the failures")
    @APIResponse(responseCode = "200", description = "The subscription, enabled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Subscription.class)))
    @APIResponse(responseCode = "404", description = "This API key has no such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response enable(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey,
            @Parameter(description = "The subscription's id") @PathParam("id") String id) {
        return ok(subscriptions.enable(key(apiKey), id(id)));
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "List recent deliveries", description = "The subscription's latest deliveries, newest first, with "
            + "their status (pending, delivered, failed), attempts, last answer and body")
    @APIResponse(responseCode = "200", description = "The deliveries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryList.class)))
    @APIResponse(responseCode = "400", description = "Invalid size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "This API key has no such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response deliveries(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey,
            @Parameter(description = "The subscription's id") @PathParam("id") String id,
            @Parameter(description = "How many, at most 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "100", defaultValue = "20")) @QueryParam("size") String size) {
        int n = DEFAULT_DELIVERIES;
        if (size != null && !size.isBlank()) {
            try {
                n = Integer.parseInt(size.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_DELIVERIES) {
                throw ProblemException.invalid("size", "must be between 1 and " + MAX_DELIVERIES);
            }
        }
        return ok(new DeliveryList(subscriptions.deliveries(key(apiKey), id(id), n), n));
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/resend")
    @Operation(summary = "Re-send a delivery", description = "Sends the same event again (same webhook-id and body) as "
            + "soon as possible, with a new day of retries")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Delivery.class)))
    @APIResponse(responseCode = "404", description = "No such subscription or delivery",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response resend(@Parameter(hidden = true) @HeaderParam("X-Api-Key") String apiKey,
            @Parameter(description = "The subscription's id") @PathParam("id") String id,
            @Parameter(description = "The delivery's id") @PathParam("deliveryId") String deliveryId) {
        return Response.accepted(subscriptions.resend(key(apiKey), id(id), id(deliveryId))).cacheControl(privately()).build();
    }

    private long key(String apiKey) {
        return subscriptions.apiKeyId(apiKey).orElseThrow(() -> new ProblemException(
                Problem.of(401, "API key required", "Webhooks are managed with an API key: send it in X-Api-Key")));
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("No subscription or delivery has the id " + id);
        }
    }

    private static Response ok(Object entity) {
        return Response.ok(entity).cacheControl(privately()).build();
    }

    static CacheControl privately() {
        CacheControl cc = new CacheControl();
        cc.setPrivate(true);
        cc.setNoStore(true);
        return cc;
    }
}
