package org.downwatch.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.downwatch.detect.SeriesPoint;
import org.downwatch.detect.SeriesReader;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Open data: every service's counts of one UTC day, and incidents, under CC BY 4.0. Both are streamed
 * as they are read (through JDBC cursors), never built in memory,
 * and gzipped when the client accepts it.
 */
@Path("/api/v1/export")
@Tag(name = "Open data", description = "Bulk exports under the Creative Commons Attribution 4.0 licence (CC BY 4.0): "
        + "credit \"Downwatch\" and link to the site")
@APIResponse(responseCode = "400", description = "Invalid parameter (named in errors[].field)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ExportResource {

    static final String LICENCE = "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"";
    static final String CSV = "text/csv; charset=UTF-8";
    static final String COUNTS_HEADER = "service,start,count,baseline,upper,partial";
    static final String INCIDENTS_HEADER = "id,service,service_name,category,provider,started_at,detected_at,peak_at,"
            + "peak_count,ended_at,report_count";
    static final Duration MAX_INCIDENT_RANGE = Duration.ofDays(366);
    private static final Duration BUCKET = Duration.ofMinutes(15);

    private final DataSource ds;
    private final SeriesReader series;
    private final ObjectMapper mapper;

    ExportResource(DataSource ds, SeriesReader series, ObjectMapper mapper) {
        this.ds = ds;
        this.series = series;
        this.mapper = mapper;
    }

    /** One row of the incidents export (also its JSON form). */
    @Schema(name = "ExportedIncident", description = "An incident in the open-data export")
    record ExportedIncident(long id, String service, String serviceName, String category,
            @Schema(description = "The provider the service runs on, if known", nullable = true) String provider,
            Instant startedAt, Instant detectedAt, @Schema(nullable = true) Instant peakAt,
            @Schema(nullable = true) Integer peakCount, @Schema(description = "Null while open", nullable = true) Instant endedAt,
            int reportCount) {
    }

    @GET
    @Path("/counts")
    @Produces(CSV)
    @Operation(summary = "Export a day of counts", description = "Every service's reports per 15 minutes of one UTC day, "
            + "with the baseline (usual reports) and upper bound, as the series API gives them. CSV with the header "
            + "`" + COUNTS_HEADER + "`: service slug, bucket start (ISO-8601 UTC), reports, baseline and upper (4 decimals; empty where the detector has evaluated no minute of the bucket), "
            + "and partial (true for the bucket still under way). Sorted by service then start; 96 rows per service. "
            + "Gzipped with Accept-Encoding: gzip. Licence CC BY 4.0 (Link rel=license).")
    @APIResponse(responseCode = "200", description = "The CSV, streamed",
            content = @Content(mediaType = CSV, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    public Response counts(
            @Parameter(description = "The UTC day (YYYY-MM-DD), not after today; default yesterday", example = "2026-01-05")
            @QueryParam("date") String date,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? today.minusDays(1) : LocalDate.parse(date.trim());
        } catch (DateTimeException e) {
            throw ProblemException.invalid("date", "must be a day as YYYY-MM-DD");
        }
        if (day.isAfter(today)) {
            throw ProblemException.invalid("date", "must not be after today (UTC)");
        }
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(1));
        boolean gzip = gzip(acceptEncoding);
        StreamingOutput body = out -> write(out, gzip, w -> {
            w.write(COUNTS_HEADER);
            w.write('\n');
            Instant now = Instant.now();
            Instant end = to.isAfter(now) ? now : to;
            // one query for the whole day, every service (those without reports too), read through a cursor
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
                try (PreparedStatement ps = c.prepareStatement("select s.id, s.slug, "
                        + "floor(extract(epoch from m.minute) / 900)::bigint * 900, sum(m.count) "
                        + "from service s left join report_minute m on m.service_id = s.id and m.minute >= ? and m.minute < ? "
                        + "group by 1, 2, 3 order by 2, 3")) {
                    ps.setFetchSize(5000);
                    ps.setTimestamp(1, Timestamp.from(from));
                    ps.setTimestamp(2, Timestamp.from(end));
                    try (ResultSet rs = ps.executeQuery()) {
                        boolean more = rs.next();
                        while (more) {
                            int id = rs.getInt(1);
                            String slug = rs.getString(2);
                            for (Instant b = from; b.isBefore(end); b = b.plus(BUCKET)) {
                                int count = 0;
                                // this service's rows come in bucket order; a service without reports has one row of nulls
                                while (more && rs.getInt(1) == id && (rs.getObject(3) == null || rs.getLong(3) <= b.getEpochSecond())) {
                                    if (rs.getObject(3) != null && rs.getLong(3) == b.getEpochSecond()) {
                                        count = rs.getInt(4);
                                    }
                                    more = rs.next();
                                }
                                writePoint(w, slug, series.point(id, b, BUCKET, count, now));
                            }
                            while (more && rs.getInt(1) == id) {
                                more = rs.next();
                            }
                        }
                    }
                } finally {
                    c.rollback();
                }
            }
        });
        // a finished day's counts no longer change
        return streamed(body, CSV, gzip, day.isBefore(today) ? 3600 : 60,
                "downwatch-counts-" + day + ".csv");
    }

    @GET
    @Path("/incidents")
    @Produces({ CSV, MediaType.APPLICATION_JSON })
    @Operation(summary = "Export incidents", description = "Every incident overlapping [from, to) (default: the last 30 "
            + "days; at most 366 days), oldest first. CSV (default) with the header `" + INCIDENTS_HEADER + "` (times "
            + "ISO-8601 UTC, empty when absent), or a JSON array of ExportedIncident with format=json or Accept: "
            + "application/json. Gzipped with Accept-Encoding: gzip. Licence CC BY 4.0 (Link rel=license).")
    @APIResponse(responseCode = "200", description = "The incidents, streamed", content = {
            @Content(mediaType = CSV, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                    implementation = ExportedIncident.class)) })
    public Response incidents(
            @Parameter(description = "Incidents still going on at or after this instant (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "Incidents started before this instant (ISO-8601); default now") @QueryParam("to") String to,
            @Parameter(description = "csv (default) or json", schema = @Schema(enumeration = { "csv", "json" }))
            @QueryParam("format") String format,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
        Params.Range r = Params.openRange(from, to);
        Instant t = r.to() != null ? r.to() : Instant.now();
        Instant f = r.from() != null ? r.from() : t.minus(Duration.ofDays(30));
        if (!f.isBefore(t)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        if (Duration.between(f, t).compareTo(MAX_INCIDENT_RANGE) > 0) {
            throw ProblemException.invalid("from", "the range from..to must be at most 366 days");
        }
        String fmt = Params.oneOf("format", format, Set.of("csv", "json"));
        boolean json = "json".equals(fmt) || (fmt == null && accept != null && accept.contains(MediaType.APPLICATION_JSON)
                && !accept.contains("text/csv"));
        boolean gzip = gzip(acceptEncoding);
        StreamingOutput body = out -> write(out, gzip, w -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
                try (PreparedStatement ps = c.prepareStatement("select i.id, s.slug, s.name, s.category, s.provider, "
                        + "i.started_at, i.detected_at, i.peak_at, i.peak_count, i.ended_at, i.report_count "
                        + "from incident i join service s on s.id = i.service_id "
                        + "where i.started_at < ? and (i.ended_at is null or i.ended_at > ?) order by i.started_at, i.id")) {
                    ps.setFetchSize(1000);
                    ps.setTimestamp(1, Timestamp.from(t));
                    ps.setTimestamp(2, Timestamp.from(f));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (json) {
                            writeJson(w, rs);
                        } else {
                            writeCsv(w, rs);
                        }
                    }
                } finally {
                    c.rollback();
                }
            }
        });
        return streamed(body, json ? MediaType.APPLICATION_JSON : CSV, gzip, 60,
                "downwatch-incidents." + (json ? "json" : "csv"));
    }

    private static void writePoint(Writer w, String slug, SeriesPoint p) throws IOException {
        w.write(slug);
        w.write(',');
        w.write(p.start().toString());
        w.write(',');
        w.write(Integer.toString(p.count()));
        w.write(',');
        w.write(p.baseline() == null ? "" : decimal(p.baseline()));
        w.write(',');
        w.write(p.upper() == null ? "" : decimal(p.upper()));
        w.write(p.partial() ? ",true\n" : ",false\n");
    }

    private static void writeCsv(Writer w, ResultSet rs) throws SQLException, IOException {
        w.write(INCIDENTS_HEADER);
        w.write('\n');
        while (rs.next()) {
            ExportedIncident i = incident(rs);
            w.write(i.id() + "," + csv(i.service()) + "," + csv(i.serviceName()) + "," + csv(i.category()) + ","
                    + csv(i.provider()) + "," + i.startedAt() + "," + i.detectedAt() + "," + text(i.peakAt()) + ","
                    + text(i.peakCount()) + "," + text(i.endedAt()) + "," + i.reportCount() + "\n");
        }
    }

    private void writeJson(Writer w, ResultSet rs) throws SQLException, IOException {
        try (JsonGenerator g = mapper.getFactory().createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            while (rs.next()) {
                mapper.writeValue(g, incident(rs));
            }
            g.writeEndArray();
        }
    }

    private static ExportedIncident incident(ResultSet rs) throws SQLException {
        return new ExportedIncident(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6), instant(rs, 7), instant(rs, 8), (Integer) rs.getObject(9), instant(rs, 10), rs.getInt(11));
    }

    private interface Body {
        void write(Writer w) throws IOException, SQLException;
    }

    private static void write(OutputStream out, boolean gzip, Body body) throws IOException {
        OutputStream o = gzip ? new GZIPOutputStream(out, 64 * 1024) : out;
        Writer w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8), 64 * 1024);
        try {
            body.write(w);
        } catch (SQLException e) {
            throw new IOException("export failed", e); // the status line is gone: the body is cut short
        }
        w.flush();
        if (o instanceof GZIPOutputStream z) {
            z.finish();
        }
        out.flush();
    }

    private static Response streamed(StreamingOutput body, String type, boolean gzip, int maxAge, String filename) {
        Response.ResponseBuilder r = Response.ok(body, type).header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + maxAge)
                .header(HttpHeaders.VARY, "Accept, Accept-Encoding").header("Link", LICENCE)
                .header("Content-Disposition", "inline; filename=\"" + filename + "\"");
        if (gzip) {
            r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        return r.build();
    }

    static boolean gzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return !(p.length > 1 && p[1].replace(" ", "").equals("q=0"));
            }
        }
        return false;
    }

    /** A number with at most 4 decimals, without exponent or trailing zeros ("12.5", "0"). */
    static String decimal(double v) {
        long scaled = Math.round(v * 10_000);
        if (scaled == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        if (scaled < 0) {
            b.append('-');
            scaled = -scaled;
        }
        b.append(scaled / 10_000);
        long frac = scaled % 10_000;
        if (frac != 0) {
            String f = Long.toString(frac + 10_000).substring(1);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(f, 0, end);
        }
        return b.toString();
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp ts = rs.getTimestamp(i);
        return ts == null ? null : ts.toInstant();
    }
}
