package org.downwatch.api;

import org.downwatch.detect.SeriesReader;
import org.downwatch.report.WorksCounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.downwatch.api.ApiModels.IncidentJson;
import org.downwatch.api.ApiModels.ProblemShareJson;
import org.downwatch.api.ApiModels.ProblemTypeJson;
import org.downwatch.api.ApiModels.ServiceDetail;
import org.downwatch.api.ApiModels.ServiceSummary;
import org.downwatch.api.ApiModels.StatusJson;
import org.downwatch.api.ApiModels.LastHourJson;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.detect.Incident;
import org.downwatch.detect.IncidentRepository;
import org.downwatch.detect.NetworkGate;
import org.downwatch.detect.ServiceStatus;
import org.downwatch.detect.StatusReader;
import org.downwatch.notice.IncidentNotes;
import org.downwatch.notice.Notices;

/** Turns the catalog and the detector's read model into the API's JSON bodies. */
@ApplicationScoped
class ApiViews {

    private final Catalog catalog;
    private final StatusReader statuses;
    private final IncidentRepository incidents;
    private final NetworkGate gate;
    private final Notices notices;
    private final SeriesReader series;
    private final WorksCounts works;

    ApiViews(Catalog catalog, StatusReader statuses, IncidentRepository incidents, NetworkGate gate, Notices notices,
            SeriesReader series, WorksCounts works) {
        this.gate = gate;
        this.catalog = catalog;
        this.statuses = statuses;
        this.incidents = incidents;
        this.notices = notices;
        this.series = series;
        this.works = works;
    }

    /** The last 60 finished minutes before {@code now}: reports and "it works" signals. */
    LastHourJson lastHour(Service s, Instant now) {
        Instant to = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant from = to.minus(java.time.Duration.ofHours(1));
        int reports = series.problemCounts(s.id, from, to).values().stream().mapToInt(Integer::intValue).sum();
        return new LastHourJson(from, to, reports, works.between(s.id, from, to));
    }

    static ServiceSummary summary(Service s, ServiceStatus status) {
        return new ServiceSummary(s.slug, s.name, s.category, s.country, s.websiteUrl, status.level());
    }

    ServiceDetail detail(Service s, String lang) {
        List<ProblemTypeJson> types = catalog.problemTypes(s.id).stream()
                .map(p -> new ProblemTypeJson(p.slug, p.label(lang))).toList();
        ServiceStatus st = statuses.shown(s.id); // the pages' level rule
        return new ServiceDetail(s.slug, s.name, s.category, s.country, s.websiteUrl, types,
                new StatusJson(st.level(), st.since(), st.observed(), st.expected(), st.upper(), st.windowMinutes(),
                        gate.networks(s.id).isPresent() ? gate.networks(s.id).getAsInt() : null),
                lastHour(s, Instant.now()));
    }

    /** The catalog's shares per problem type, labelled in {@code lang}. */
    List<ProblemShareJson> shares(int serviceId, Map<Integer, Integer> counts, String lang, boolean includeUnreported) {
        return catalog.shares(serviceId, counts, includeUnreported).stream()
                .map(s -> new ProblemShareJson(s.type().slug, s.type().label(lang), s.count(), s.share())).toList();
    }

    @Transactional
    List<IncidentJson> incidents(Integer serviceId, Boolean open, Instant from, Instant to, int pageIndex, int size,
            String lang) {
        List<Incident> page = incidents.search(serviceId, open, from, to, pageIndex, size);
        Map<Long, Map<Integer, Integer>> problems = incidents.problems(page.stream().map(i -> i.id).toList());
        Map<Long, IncidentNotes> notes = notices.notes(page, Instant.now());
        List<IncidentJson> out = new ArrayList<>();
        for (Incident i : page) {
            out.add(incident(i, problems.get(i.id), notes.getOrDefault(i.id, IncidentNotes.NONE), lang));
        }
        return out;
    }

    @Transactional
    long countIncidents(Integer serviceId, Boolean open, Instant from, Instant to) {
        return incidents.count(serviceId, open, from, to);
    }

    @Transactional
    IncidentJson incident(long id, String lang) {
        Incident i = incidents.findById(id);
        return i == null ? null : incident(i, incidents.problems(i.id),
                notices.notes(List.of(i), Instant.now()).getOrDefault(i.id, IncidentNotes.NONE), lang);
    }

    private IncidentJson incident(Incident i, Map<Integer, Integer> problems, IncidentNotes notes, String lang) {
        String slug = catalog.service(i.serviceId).map(s -> s.slug).orElse(null);
        return new IncidentJson(i.id, slug, i.startedAt, i.detectedAt, i.peakAt, i.peakCount, i.endedAt, i.isOpen(),
                i.reportCount, shares(i.serviceId, problems, lang, false), notes.maintenance(), notes.firstNoticeAfter());
    }
}
