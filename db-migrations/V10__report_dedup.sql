-- De-duplication state of the reporting feature, shared by every app instance.
-- Keys are keyed hashes (HMAC-SHA-256 with a daily key, truncated to 16 bytes): never a raw address.

-- "The same person": the last time a report of this reporter (address + User-Agent) was counted for
-- this service. A report within the window after counted_at is not counted again.
-- No index on counted_at on purpose: updates stay HOT; the periodic clean-up scans the table.
create table report_reporter (
    service_id    integer not null,
    reporter_hash bytea not null,
    counted_at    timestamptz not null,
    primary key (service_id, reporter_hash)
) with (fillfactor = 80);

-- One address network (IPv4 address, IPv6 /64) adds at most N counted reports per service per window:
-- counted_at holds the times of its N most recent counted reports (a sliding window).
create table report_network (
    service_id   integer not null,
    network_hash bytea not null,
    counted_at   timestamptz[] not null,
    primary key (service_id, network_hash)
) with (fillfactor = 80);
