package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Category;
import org.downwatch.catalog.ProblemShares.Share;
import org.downwatch.catalog.ProblemType;
import org.downwatch.catalog.Service;
import org.downwatch.detect.Incident;
import org.downwatch.detect.IncidentRepository;
import org.downwatch.detect.NetworkGate;
import org.downwatch.detect.SeriesPoint;
import org.downwatch.detect.SeriesReader;
import org.downwatch.detect.ServiceStatus;
import org.downwatch.detect.StatusReader;
import org.downwatch.notice.Notices;
import org.downwatch.notice.Official;
import org.downwatch.region.RegionReader;
import org.downwatch.api.IncidentGroupReader;
import org.downwatch.report.WorksCounts;

/**
 * Gathers what the pages show from the catalog, the detector's verdicts, incidents and the
 * per-minute counts (never raw reports), one read transaction per page.
 *
 * <p>Every page shows a service's level through {@link #shown}, so that the home page, the lists and
 * a service page agree with each other and with the evidence they print.
 */
@ApplicationScoped
public class PageData {

    static final Duration DAY = Duration.ofDays(1);
    static final Duration WEEK = Duration.ofDays(7);
    static final Duration DAY_BUCKET = Duration.ofMinutes(15);
    static final Duration WEEK_BUCKET = Duration.ofHours(1);

    @TemplateData
    public record ProblemRow(Service service, ServiceStatus status, Sparkline spark) {
    }

    @TemplateData
    public record IncidentRow(Incident incident, Service service, List<Share> problems) {
    }

    @TemplateData
    public record CategoryRow(Category category, List<ServiceRow> services) {
    }

    @TemplateData
    public record ServiceRow(Service service, String level) {
    }

    /** The home page; {@code incidents} are those with at least {@code incidentMinReports} reports (and the open ones). */
    @TemplateData
    public record Home(List<ProblemRow> problems, List<IncidentRow> incidents, int incidentMinReports, List<CategoryRow> categories,
            List<Together.Group> groups) {
    }

    @TemplateData
    public record ServiceView(Service service, Category category, ServiceStatus status, Chart chart, Chart narrowChart,
            List<Share> problems, Incident open, List<ProblemType> problemTypes, List<IncidentRow> incidents,
            int lastHour, NetworkEvidence networks, Where where, Official official, WorksView works, Together together) {

        /** The same view with how the visitor's "it works for me" went (a per-request page). */
        ServiceView withWorksThanks(String thanks) {
            return new ServiceView(service, category, status, chart, narrowChart, problems, open, problemTypes, incidents,
                    lastHour, networks, where, official, works.withThanks(thanks), together);
        }

        /** Problem types nobody reported in the period, named on one line rather than as 0% bars. */
        public List<Share> unreported() {
            return problems.stream().filter(p -> p.count() == 0).toList();
        }
    }

    private final Catalog catalog;
    private final StatusReader status;
    private final SeriesReader series;
    private final IncidentRepository incidents;
    private final Notices notices;
    private final int homeIncidentMinReports;
    private final NetworkGate gate;
    private final RegionReader regions;
    private final WorksCounts works;
    private final IncidentGroupReader groups;

    PageData(Catalog catalog, StatusReader status, SeriesReader series, IncidentRepository incidents, WebConfig config,
            NetworkGate gate, RegionReader regions, Notices notices, WorksCounts works, IncidentGroupReader groups) {
        this.gate = gate;
        this.regions = regions;
        this.works = works;
        this.groups = groups;
        this.catalog = catalog;
        this.status = status;
        this.series = series;
        this.incidents = incidents;
        this.notices = notices;
        this.homeIncidentMinReports = config.homeIncidentMinReports();
    }

    /** The level a page shows: {@link ServiceStatus#shown}, with the open incident the page already read. */
    static ServiceStatus shown(ServiceStatus s, Incident open) {
        return s.shown(open == null ? null : open.startedAt);
    }

    /** Every service's shown level, by service id: the detector's verdicts and the open incidents together. */
    private Map<Integer, ServiceStatus> shownAll() {
        return status.shownAll();
    }

    @Transactional
    public Home home() {
        return home(Instant.now());
    }

    /** The home page as of {@code now} (a snapshot's minute: every instance shows the same). */
    @Transactional
    public Home home(Instant now) {
        Map<Integer, ServiceStatus> all = shownAll();
        List<ProblemRow> problems = new ArrayList<>();
        for (ServiceStatus s : all.values().stream().filter(ServiceStatus::hasProblems)
                .sorted(Comparator.comparing((ServiceStatus s) -> ServiceStatus.PROBLEM.equals(s.level()) ? 0 : 1)
                        .thenComparing(Comparator.comparingDouble(ServiceStatus::ratio).reversed()))
                .toList()) {
            Optional<Service> service = catalog.service(s.serviceId());
            service.ifPresent(svc -> problems.add(new ProblemRow(svc, s,
                    Sparkline.of(series.series(svc.id, now.minus(DAY), now, Duration.ofMinutes(30), now)))));
        }
        // with thousands of services, the detector's budget of false alarms (0.1 per service-week) is a few
        // small "incidents" of quiet services every hour: the home page lists those that many people saw
        return new Home(problems, incidentRows(incidents.recent(8, homeIncidentMinReports), now), homeIncidentMinReports,
                categories(all), groups(now));
    }

    /** Groups of incidents started within the same minutes over the last day: ongoing ones first, then the newest. */
    private List<Together.Group> groups(Instant now) {
        List<Together.Group> out = new ArrayList<>();
        for (org.downwatch.api.IncidentGroups.Group g : groups.groups(now.minus(DAY), now, IncidentGroupReader.WINDOW)) {
            Together.Group view = Together.group(g, catalog::resolve);
            if (view != null) {
                out.add(view);
            }
        }
        out.sort(Comparator.comparing((Together.Group g) -> g.ongoing() ? 0 : 1)
                .thenComparing(Comparator.comparing(Together.Group::since).reversed()));
        return out.subList(0, Math.min(3, out.size()));
    }

    @Transactional
    public List<CategoryRow> categories() {
        return categories(shownAll());
    }

    @Transactional
    public List<ServiceRow> rows(List<Service> services) {
        Map<Integer, ServiceStatus> all = shownAll();
        return services.stream().map(s -> row(s, all)).toList();
    }

    private List<CategoryRow> categories(Map<Integer, ServiceStatus> all) {
        List<CategoryRow> out = new ArrayList<>();
        for (Category c : catalog.categories()) {
            List<ServiceRow> rows = catalog.servicesIn(c.slug).stream().map(s -> row(s, all)).toList();
            if (!rows.isEmpty()) {
                out.add(new CategoryRow(c, rows));
            }
        }
        return out;
    }

    private static ServiceRow row(Service s, Map<Integer, ServiceStatus> all) {
        ServiceStatus st = all.get(s.id);
        return new ServiceRow(s, st == null ? ServiceStatus.NONE : st.level());
    }

    /** The chart of one service over the last day (15-minute buckets) or week (hourly). */
    @Transactional
    public Chart chart(Service service, boolean week, Visitor v, Chart.Size size) {
        return chart(service, week, v, size, Instant.now());
    }

    @Transactional
    public Chart chart(Service service, boolean week, Visitor v, Chart.Size size, Instant now) {
        return charts(service, week, v, now, incidents.recentFor(service.id, 20), List.of(size)).get(0);
    }

    private List<Chart> charts(Service service, boolean week, Visitor v, Instant now, List<Incident> recent,
            List<Chart.Size> sizes) {
        Duration range = week ? WEEK : DAY;
        Duration bucket = week ? WEEK_BUCKET : DAY_BUCKET;
        // whole buckets only: the chart (and its ETag) changes when a bucket does, not every second
        Instant from = now.minus(range).plus(bucket);
        List<SeriesPoint> points = series.series(service.id, from, now, bucket, now);
        List<Chart.Period> periods = recent.stream()
                .filter(i -> i.endedAt == null || i.endedAt.isAfter(from))
                .map(i -> new Chart.Period(i.startedAt, i.endedAt)).toList();
        return sizes.stream().map(size -> new Chart(week ? "7d" : "24h", points, bucket, from, v.zone(), v.locale(), periods,
                size)).toList();
    }

    @Transactional
    public ServiceView service(Service service, boolean week, Visitor v, boolean withLastHour) {
        return service(service, week, v, withLastHour, Instant.now());
    }

    /** The service page as of {@code now} (a snapshot's minute: every instance shows the same). */
    @Transactional
    public ServiceView service(Service service, boolean week, Visitor v, boolean withLastHour, Instant now) {
        List<Incident> recent = incidents.recentFor(service.id, 20);
        List<Chart> charts = charts(service, week, v, now, recent, List.of(Chart.Size.WIDE, Chart.Size.NARROW));
        Incident open = recent.stream().filter(Incident::isOpen).findFirst().orElse(null);
        Map<Integer, Integer> counts;
        if (open != null) {
            counts = incidents.problems(open.id);
            if (counts.isEmpty()) {
                counts = series.problemCounts(service.id, open.startedAt, now);
            }
        } else {
            counts = series.problemCounts(service.id, now.minus(DAY), now);
        }
        // the two sides of the last hour: its 60 finished minutes on a shared page (the same bytes on every
        // instance), the minute so far too on the page that thanks a visitor (their own signal shows)
        Instant hourEnd = withLastHour ? now.plusSeconds(60) : now;
        Instant hourStart = hourEnd.minus(Duration.ofHours(1));
        int reportsLastHour = series.problemCounts(service.id, hourStart, hourEnd).values().stream().mapToInt(Integer::intValue).sum();
        WorksView sides = new WorksView(reportsLastHour, works.between(service.id, hourStart, hourEnd), null);
        // the thank-you line's count is the same hour's (the visitor's own report in it)
        int lastHour = withLastHour ? reportsLastHour : 0;
        // many services at once: incidents of the last two days grouped, the open one's group if any
        Together together = open == null ? null
                : Together.forService(groups.groups(now.minus(Duration.ofDays(2)), now, IncidentGroupReader.WINDOW),
                        open.id, service.slug, catalog::resolve);
        return new ServiceView(service, catalog.category(service.category).orElse(null), shown(status.current(service.id), open),
                charts.get(0), charts.get(1),
                shares(service, counts), open, catalog.problemTypes(service.id),
                incidentRows(recent.subList(0, Math.min(recent.size(), 6)), now), lastHour,
                gate.networks(service.id).stream().mapToObj(n -> new NetworkEvidence(n, gate.minNetworks())).findFirst().orElse(null),
                where(service, open, now, v),
                // the company's word as of the page's minute: a notice posted since shows from the next minute on
                notices.page(service.id, recent.subList(0, Math.min(recent.size(), 6)), open, now),
                sides, together);
    }

    /** Where the reports of the open incident (else of the last 24 hours) come from; null when too few said. */
    private Where where(Service service, Incident open, Instant now, Visitor v) {
        Instant from = open != null ? open.startedAt : now.minus(DAY);
        return Where.of(regions.rows(service.id, from, now), from, open != null, v);
    }

    /** Every problem type of the service with its share, the most reported first; none when nothing was reported. */
    List<Share> shares(Service service, Map<Integer, Integer> counts) {
        List<Share> shares = catalog.shares(service.id, counts, true);
        return shares.stream().anyMatch(s -> s.count() > 0) ? shares : List.of();
    }

    private List<IncidentRow> incidentRows(List<Incident> list, Instant now) {
        List<IncidentRow> rows = new ArrayList<>();
        Map<Long, Map<Integer, Integer>> problems = incidents.problems(list.stream().map(i -> i.id).toList());
        for (Incident i : list) {
            Optional<Service> s = catalog.service(i.serviceId);
            if (s.isEmpty()) {
                continue;
            }
            Map<Integer, Integer> counts = problems.get(i.id);
            if (counts.isEmpty() && i.isOpen()) {
                // the detector fills incident_problem as it goes; until then, the counts say the same
                counts = series.problemCounts(i.serviceId, i.startedAt, now);
            }
            List<Share> shares = shares(s.get(), counts).stream().filter(x -> x.count() > 0).limit(3).toList();
            rows.add(new IncidentRow(i, s.get(), shares));
        }
        return rows;
    }
}
