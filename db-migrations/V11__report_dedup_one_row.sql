-- De-duplication in one row per (service, address network) instead of one per reporter and one per network.
-- The row holds the reporters (keyed hashes) of the network's N most recent counted reports and when they
-- were counted. That is enough to tell both rules: a person's address lies in exactly one network, and if
-- the person's entry was pushed out by N newer ones, those N are all within the window, so the network cap
-- refuses the report anyway. Half the rows (and index entries, and WAL) per counted report: the ingest
-- bench found the two de-duplication inserts to be three quarters of a batch's time in PostgreSQL.
-- The state is short-lived (one window): what the old tables held is not carried over.
drop table report_reporter;
drop table report_network;

create table report_network (
    service_id    integer not null,
    network_hash  bytea not null,
    -- oldest first, at most N entries; counted_at_ms[i] is when reporter_hash[i] was counted
    -- (epoch milliseconds: the hot path reads and writes them as numbers, not timestamp text)
    reporter_hash bytea[] not null,
    counted_at_ms bigint[] not null,
    primary key (service_id, network_hash)
) with (fillfactor = 80);

comment on table report_network is 'De-duplication of reports (ReportBatcher): per service and address network '
    'the keyed hashes of the reporters of its N most recent counted reports. Never a raw address.';
