-- De-duplication in one row per (service, wide network) again (issue 22 follow-up), as V11 did for the address
-- network: the wide network's row keeps its N most recent counted reports, each with its reporter's and its
-- address network's keyed hashes, and that decides all three rules (the same person, at most 3 per address
-- network, at most 10 per wide network). An address network lies in one wide network; an entry pushed out by
-- N newer ones means N counted reports within the window, so the wide cap refuses anyway. The rows of the
-- address networks (V11, V95) are no longer written: one row per counted report instead of two, which the
-- hot flood measured as the cost of V95 (docs/security.md, write path).
-- The state is short-lived (one window): what the table held is not carried over (the address rows cannot be
-- told from the wide ones, and the wide rows' entries have no address network).
delete from report_network;
alter table report_network add column address_network bytea[] not null;

comment on table report_network is 'De-duplication of reports (ReportWriter): per service and wide network (IPv4 /24, '
    'IPv6 /48) the keyed hashes of the reporters and address networks of its N most recent counted reports. Never a raw address.';
comment on column report_network.address_network is 'address_network[i]: keyed hash of the address network (IPv4 address, '
    'IPv6 /64) of the report counted at counted_at_ms[i] by reporter_hash[i]';
