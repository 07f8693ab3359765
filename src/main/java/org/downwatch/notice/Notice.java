package org.downwatch.notice;

import io.quarkus.qute.TemplateData;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** An official notice of a service's owner: what the company says, beside what the crowd reports. */
@Entity
@Table(name = "service_notice")
@TemplateData
public class Notice {

    public static final String MAINTENANCE = "maintenance";
    /** The kinds, in the order an incident usually goes through them. */
    public static final List<String> KINDS = List.of("investigating", "identified", "monitoring", "resolved", MAINTENANCE);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "service_id", nullable = false)
    public int serviceId;

    @Column(name = "owner_key_id")
    public Long ownerKeyId;

    @Column(name = "source", nullable = false)
    public String source = "owner";

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "message_fr")
    public String messageFr;

    @Column(name = "message_en")
    public String messageEn;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    @Column(name = "posted_at", nullable = false)
    public Instant postedAt;

    public boolean isMaintenance() {
        return MAINTENANCE.equals(kind);
    }

    /** The message in {@code lang}, else in the other language. */
    public String message(String lang) {
        String m = "fr".equals(lang) ? messageFr : messageEn;
        return m != null ? m : "fr".equals(lang) ? messageEn : messageFr;
    }

    /** The language {@link #message(String)} answers in for {@code lang}. */
    public String messageLang(String lang) {
        String m = "fr".equals(lang) ? messageFr : messageEn;
        return m != null ? lang : "fr".equals(lang) ? "en" : "fr";
    }

    /** A maintenance window that holds {@code t}. */
    public boolean covers(Instant t) {
        return isMaintenance() && !t.isBefore(startsAt) && t.isBefore(endsAt);
    }
}
