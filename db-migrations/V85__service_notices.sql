-- What the company says (issue 24): verified owners of a service and their official notices.

-- An owner key is an API key bound to one service, created by the admin. Only its SHA-256 is stored;
-- the key itself is shown once, when it is created.
create table owner_key (
    id          bigint generated always as identity primary key,
    service_id  integer not null references service (id) on delete cascade,
    name        text not null check (char_length(name) between 1 and 100),   -- who holds it ("La Poste, comms team")
    key_hash    bytea not null unique check (octet_length(key_hash) = 32),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index owner_key_service_idx on owner_key (service_id);

-- An official notice. A message in French and/or English; a maintenance notice declares a window.
-- source 'demo' marks the demo's notices (replaced with the demo history, never sent to webhooks).
create table service_notice (
    id           bigint generated always as identity primary key,
    service_id   integer not null references service (id) on delete cascade,
    owner_key_id bigint references owner_key (id) on delete set null,
    source       text not null default 'owner' check (source in ('owner', 'demo')),
    kind         text not null check (kind in ('investigating', 'identified', 'monitoring', 'resolved', 'maintenance')),
    message_fr   text check (char_length(message_fr) between 1 and 1000),
    message_en   text check (char_length(message_en) between 1 and 1000),
    starts_at    timestamptz,
    ends_at      timestamptz,
    posted_at    timestamptz not null default now(),
    check (message_fr is not null or message_en is not null),
    check ((kind = 'maintenance') = (starts_at is not null and ends_at is not null)),
    check (starts_at is null or ends_at is null or ends_at > starts_at)
);
create index service_notice_service_idx on service_notice (service_id, posted_at desc);
create index service_notice_window_idx on service_notice (service_id, starts_at) where kind = 'maintenance';

-- Webhooks: a notice is an event of the outbox too ('notice.posted'), written by a trigger in the
-- transaction that inserts the notice. It has no incident and no level.
alter table webhook_outbox alter column incident_id drop not null;
alter table webhook_outbox alter column level drop not null;
alter table webhook_outbox add column notice_id bigint;
alter table webhook_outbox drop constraint webhook_outbox_type_check;
alter table webhook_outbox add constraint webhook_outbox_type_check
    check (type in ('incident.opened', 'incident.updated', 'incident.closed', 'notice.posted'));
alter table webhook_outbox drop constraint webhook_outbox_level_check;
alter table webhook_outbox add constraint webhook_outbox_level_check check (level in ('possible', 'problem'));
alter table webhook_outbox add constraint webhook_outbox_subject_check
    check (case when type = 'notice.posted' then notice_id is not null else incident_id is not null and level is not null end);

create function webhook_notice_event() returns trigger language plpgsql as $$
begin
    insert into webhook_outbox (type, notice_id, service_id, occurred_at) values ('notice.posted', new.id, new.service_id, new.posted_at);
    return null;
end $$;

create trigger webhook_notice_insert after insert on service_notice
    for each row when (new.source = 'owner') execute function webhook_notice_event();
