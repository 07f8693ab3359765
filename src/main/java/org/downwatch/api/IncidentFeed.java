package org.downwatch.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.UriInfo;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.detect.Incident;
import org.downwatch.detect.IncidentRepository;

/** Atom 1.0 feeds (RFC 4287) of incidents, for the whole site and per service, written with StAX. */
@ApplicationScoped
class IncidentFeed {

    static final String ATOM = "application/atom+xml";
    static final int ENTRIES = 50;
    private static final String NS = "http://www.w3.org/2005/Atom";
    private static final String TAG = "tag:downwatch.org,2026:";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final IncidentRepository incidents;
    private final Catalog catalog;

    IncidentFeed(IncidentRepository incidents, Catalog catalog) {
        this.incidents = incidents;
        this.catalog = catalog;
    }

    /** The latest incidents of all services ({@code service} null) or of one. */
    @Transactional
    String render(Service service, UriInfo uri) {
        List<Incident> list = service == null ? incidents.recent(ENTRIES, 0) : incidents.recentFor(service.id, ENTRIES);
        Map<Long, Map<Integer, Integer>> problems = incidents.problems(list.stream().map(i -> i.id).toList());
        String base = stripSlash(uri.getBaseUri().toString());
        try {
            StringWriter out = new StringWriter();
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("feed");
            x.writeDefaultNamespace(NS);
            if (service == null) {
                text(x, "id", TAG + "incidents");
                text(x, "title", "Downwatch: incidents");
                text(x, "subtitle", "Outages reported by people, on all services");
            } else {
                text(x, "id", TAG + "services/" + service.slug + "/incidents");
                text(x, "title", "Downwatch: " + service.name + " incidents");
                text(x, "subtitle", "Outages of " + service.name + " reported by people");
            }
            Instant updated = list.stream().map(IncidentFeed::updated).max(Instant::compareTo)
                    .orElse(Instant.now().truncatedTo(ChronoUnit.HOURS));
            text(x, "updated", updated.truncatedTo(ChronoUnit.SECONDS).toString());
            link(x, "self", uri.getRequestUri().toString(), ATOM);
            link(x, "alternate", base + (service == null ? "/" : "/services/" + service.slug), "text/html");
            x.writeStartElement("author");
            text(x, "name", "Downwatch");
            text(x, "uri", base + "/");
            x.writeEndElement();
            text(x, "generator", "Downwatch");
            for (Incident i : list) {
                entry(x, i, problems.get(i.id), base);
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write the Atom feed", e);
        }
    }

    private void entry(XMLStreamWriter x, Incident i, Map<Integer, Integer> problems, String base) throws XMLStreamException {
        Service s = catalog.service(i.serviceId).orElse(null);
        String name = s == null ? "Service " + i.serviceId : s.name;
        x.writeStartElement("entry");
        text(x, "id", TAG + "incidents/" + i.id);
        text(x, "title", name + (i.isOpen() ? ": problems reported since " : ": problems reported from ")
                + HOUR.format(i.startedAt) + (i.isOpen() ? "" : " to " + HOUR.format(i.endedAt)));
        text(x, "published", i.detectedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        text(x, "updated", updated(i).truncatedTo(ChronoUnit.SECONDS).toString());
        if (s != null) {
            link(x, "alternate", base + "/services/" + s.slug, "text/html");
        }
        link(x, "related", base + "/api/v1/incidents/" + i.id, "application/json");
        if (s != null) {
            x.writeStartElement("category");
            x.writeAttribute("term", s.category);
            x.writeEndElement();
        }
        StringBuilder summary = new StringBuilder();
        summary.append(i.isOpen() ? "Ongoing. " : "Over. ").append(i.reportCount).append(" reports");
        if (i.peakCount != null && i.peakAt != null) {
            summary.append(", peak of ").append(i.peakCount).append(" per minute at ").append(HOUR.format(i.peakAt));
        }
        summary.append('.');
        long total = problems.values().stream().mapToLong(Integer::longValue).sum();
        if (total > 0) {
            summary.append(" Most reported: ").append(problems.entrySet().stream().limit(3)
                    .map(e -> catalog.problemType(e.getKey()).map(p -> p.labelEn).orElse("other") + " ("
                            + Math.round(e.getValue() * 100.0 / total) + "%)")
                    .collect(Collectors.joining(", "))).append('.');
        }
        text(x, "summary", summary.toString());
        x.writeEndElement();
    }

    static Instant updated(Incident i) {
        Instant u = i.detectedAt;
        for (Instant t : new Instant[] { i.peakAt, i.endedAt }) {
            if (t != null && t.isAfter(u)) {
                u = t;
            }
        }
        return u;
    }

    private static void text(XMLStreamWriter x, String element, String value) throws XMLStreamException {
        x.writeStartElement(element);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    private static void link(XMLStreamWriter x, String rel, String href, String type) throws XMLStreamException {
        x.writeStartElement("link");
        x.writeAttribute("rel", rel);
        x.writeAttribute("type", type);
        x.writeAttribute("href", href);
        x.writeEndElement();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
