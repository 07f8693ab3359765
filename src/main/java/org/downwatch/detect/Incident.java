package org.downwatch.detect;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An outage as people reported it: opens when a service reaches {@code problem}, closes when counts
 * have been back to normal for a while. Problem types reported are in {@code incident_problem}.
 */
@Entity
@Table(name = "incident")
public class Incident {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "service_id", nullable = false)
    public int serviceId;

    /** Estimated onset, not the moment of detection. */
    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "detected_at", nullable = false)
    public Instant detectedAt;

    @Column(name = "peak_at")
    public Instant peakAt;

    /** Reports in the peak minute. */
    @Column(name = "peak_count")
    public Integer peakCount;

    @Column(name = "peak_score")
    public Double peakScore;

    /** Null while the incident is open. */
    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "report_count", nullable = false)
    public int reportCount;

    public boolean isOpen() {
        return endedAt == null;
    }
}
