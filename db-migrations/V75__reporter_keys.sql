-- Random daily keys of the reporter hashes (org.downwatch.report.ReporterKeys), shared by the instances and
-- deleted once the de-duplication window after their day has passed: no long-lived secret beside the data.
-- Used when downwatch.report.secret is not configured (then keys are derived from that secret, nothing here).
create table reporter_key (
    day date primary key,
    key bytea not null check (octet_length(key) = 32)
);

-- The generated secret that keyed every day's hashes is gone. Form tokens get their own key
-- ('report.form-secret', generated at the next start): forging one needs no secret anyway (any page has one).
delete from app_setting where key = 'report.secret';
