-- "It works for me" (issue 24): per service and minute, how many people said the service works for them.
-- Written by the report writer in the same statement as reports (same queue, same de-duplication rows in
-- report_network under a "works" network key), but in a table of its own: detection, baselines, incidents,
-- exports and every count of reports read report_minute, which never holds these. No per-person row is kept:
-- a "works" signal needs no id, no place and no reporter hash once the de-duplication window is over.
create table works_minute (
    service_id integer not null,
    minute     timestamptz not null,            -- aligned to the UTC minute
    count      integer not null check (count >= 0),
    primary key (service_id, minute)
);

-- Many services at once (issue 26): the La Poste group's brands share its parcel and IT infrastructure,
-- so that an incident group of them names it as the likely common cause.
update service set provider = 'Groupe La Poste' where slug in ('la-poste', 'colissimo', 'chronopost') and provider is null;
