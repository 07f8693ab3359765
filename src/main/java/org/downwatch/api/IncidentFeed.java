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
import org.downwatch.notice.IncidentNotes;
import org.downwatch.notice.Notice;
import org.downwatch.notice.Notices;
import org.downwatch.notice.OfficialMessages;
import org.downwatch.shared.Lang;

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
    private final Notices notices;

    IncidentFeed(IncidentRepository incidents, Catalog catalog, Notices notices) {
        this.incidents = incidents;
        this.catalog = catalog;
        this.notices = notices;
    }

    String render(Service service, UriInfo uri) {
        return render(service, uri, Lang.EN);
    }

    /**
     * The latest incidents of all services ({@code service} null) or of one; a service's feed also carries its
     * official notices (their texts in {@code lang}). Incidents found during maintenance say so.
     */
    @Transactional
    String render(Service service, UriInfo uri, String lang) {
        Instant now = Instant.now();
        List<Incident> list = service == null ? incidents.recent(ENTRIES, 0) : incidents.recentFor(service.id, ENTRIES);
        Map<Long, Map<Integer, Integer>> problems = incidents.problems(list.stream().map(i -> i.id).toList());
        Map<Long, IncidentNotes> notes = notices.notes(list, now);
        List<Notice> official = service == null ? List.of() : notices.recent(service.id, now, ENTRIES);
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
            Instant updated = java.util.stream.Stream.concat(list.stream().map(IncidentFeed::updated),
                    official.stream().map(n -> n.postedAt)).max(Instant::compareTo)
                    .orElse(Instant.now().truncatedTo(ChronoUnit.HOURS));
            text(x, "updated", updated.truncatedTo(ChronoUnit.SECONDS).toString());
            link(x, "self", uri.getRequestUri().toString(), ATOM);
            link(x, "alternate", base + (service == null ? "/" : "/services/" + service.slug), "text/html");
            x.writeStartElement("author");
            text(x, "name", "Downwatch");
            text(x, "uri", base + "/");
            x.writeEndElement();
            text(x, "generator", "Downwatch");
            // newest first, notices and incidents together
            List<Object> entries = new java.util.ArrayList<>(list);
            entries.addAll(official);
            entries.sort(java.util.Comparator.comparing((Object e) -> e instanceof Incident i ? updated(i)
                    : ((Notice) e).postedAt).reversed());
            for (Object e : entries) {
                if (e instanceof Incident i) {
                    entry(x, i, problems.get(i.id), notes.getOrDefault(i.id, IncidentNotes.NONE), base, lang);
                } else {
                    notice(x, (Notice) e, service, base, lang);
                }
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write the Atom feed", e);
        }
    }

    /** An official notice: marked as such in its title, its message in the feed's language (else the other). */
    private static void notice(XMLStreamWriter x, Notice n, Service s, String base, String lang) throws XMLStreamException {
        OfficialMessages m = Notices.messages(lang);
        x.writeStartElement("entry");
        x.writeAttribute("xml", "http://www.w3.org/XML/1998/namespace", "lang", n.messageLang(lang));
        text(x, "id", TAG + "notices/" + n.id);
        text(x, "title", m.feed_title(s.name, Notices.kindLabel(n.kind, lang)));
        text(x, "published", n.postedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        text(x, "updated", n.postedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        link(x, "alternate", base + "/services/" + s.slug, "text/html");
        link(x, "related", base + "/api/v1/services/" + s.slug + "/notices/" + n.id, "application/json");
        x.writeStartElement("category");
        x.writeAttribute("term", "official-notice");
        x.writeEndElement();
        x.writeStartElement("author");
        text(x, "name", s.name);
        x.writeEndElement();
        String summary = n.message(lang);
        if (n.isMaintenance()) {
            summary = "[" + m.window(HOUR.format(n.startsAt), HOUR.format(n.endsAt)) + "] " + summary;
        }
        text(x, "summary", summary);
        x.writeEndElement();
    }

    private void entry(XMLStreamWriter x, Incident i, Map<Integer, Integer> problems, IncidentNotes notes, String base,
            String lang) throws XMLStreamException {
        Service s = catalog.service(i.serviceId).orElse(null);
        String name = s == null ? "Service " + i.serviceId : s.name;
        x.writeStartElement("entry");
        text(x, "id", TAG + "incidents/" + i.id);
        text(x, "title", name + (i.isOpen() ? ": problems reported since " : ": problems reported from ")
                + HOUR.format(i.startedAt) + (i.isOpen() ? "" : " to " + HOUR.format(i.endedAt))
                + (notes.maintenance() ? " " + Notices.messages(lang).feed_maintenance() : ""));
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
        if (notes.maintenance()) {
            x.writeStartElement("category");
            x.writeAttribute("term", "maintenance");
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
