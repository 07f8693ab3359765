-- Webhooks (org.downwatch.notify): subscriptions, the transactional outbox of incident events, and the
-- deliveries of each event to each matching subscription.

-- A subscription belongs to an API key. It covers one service, one category, or everything (both null).
create table webhook_subscription (
    id                   bigint generated always as identity primary key,
    api_key_id           bigint not null references api_key (id) on delete cascade,
    url                  text not null check (url ~ '^https?://'),
    service_id           integer references service (id) on delete cascade,
    category             text references category (slug) on delete cascade,
    min_level            text not null check (min_level in ('possible', 'problem')),
    secret               text not null,                 -- whsec_<base64>: signs every delivery
    created_at           timestamptz not null default now(),
    disabled_at          timestamptz,                   -- set after it kept failing (or never, while it works)
    consecutive_failures integer not null default 0,    -- failed attempts since the last success
    failing_since        timestamptz,                   -- first failed attempt since the last success
    check (service_id is null or category is null)
);
create index webhook_subscription_key_idx on webhook_subscription (api_key_id);

-- The outbox: one row per incident event, written by triggers in the transaction that changed the
-- incident, so that no event is lost and none is invented by a rolled-back transaction.
create table webhook_outbox (
    id          bigint generated always as identity primary key,
    type        text not null check (type in ('incident.opened', 'incident.updated', 'incident.closed')),
    reason      text check (reason in ('peak', 'level')),        -- of an update
    incident_id bigint not null,
    service_id  integer not null,
    level       text not null check (level in ('possible', 'problem')),
    occurred_at timestamptz not null default clock_timestamp(),
    txid        bigint not null default txid_current(),
    fanned_out  boolean not null default false
);
create index webhook_outbox_pending_idx on webhook_outbox (id) where not fanned_out;

-- One event to one subscription: the body is frozen at fan-out, so that every attempt (and a re-send)
-- carries the same webhook-id and bytes.
create table webhook_delivery (
    id              bigint generated always as identity primary key,
    subscription_id bigint not null references webhook_subscription (id) on delete cascade,
    outbox_id       bigint not null references webhook_outbox (id) on delete cascade,
    message_id      text not null,                  -- webhook-id: the same for every attempt
    type            text not null,
    body            text not null,
    status          text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),  -- while pending; pushed forward while an attempt runs
    retry_until     timestamptz not null,
    created_at      timestamptz not null default now(),
    last_attempt_at timestamptz,
    last_status     integer,                        -- HTTP status of the last attempt
    last_error      text,
    delivered_at    timestamptz,
    unique (subscription_id, outbox_id)
);
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_subscription_idx on webhook_delivery (subscription_id, id desc);

-- The level of an open incident is the service's current level; an incident is opened at problem.
create function webhook_level(service integer) returns text language sql stable as $$
    select coalesce((select level from service_status where service_id = service and level <> 'none'), 'problem')
$$;

-- Incident opened, closed, or a new peak. A constraint trigger deferred to the commit: it sees the
-- service's status as the same transaction left it, and one row per event however many updates ran.
create function webhook_incident_event() returns trigger language plpgsql as $$
declare
    kind text;
    why text;
begin
    if tg_op = 'INSERT' then
        kind := case when new.ended_at is null then 'incident.opened' else 'incident.closed' end;
    elsif old.ended_at is null and new.ended_at is not null then
        kind := 'incident.closed';
    else
        kind := 'incident.updated';
        why := 'peak';
    end if;
    -- one update event per incident and transaction (the detector may write an incident more than once)
    if kind = 'incident.updated' and exists (select 1 from webhook_outbox
            where incident_id = new.id and txid = txid_current()) then
        return null;
    end if;
    insert into webhook_outbox (type, reason, incident_id, service_id, level)
    values (kind, why, new.id, new.service_id, webhook_level(new.service_id));
    return null;
end $$;

create constraint trigger webhook_incident_insert after insert on incident
    deferrable initially deferred for each row execute function webhook_incident_event();
create constraint trigger webhook_incident_update after update on incident
    deferrable initially deferred for each row
    when ((old.ended_at is null and new.ended_at is not null)
          or (new.ended_at is null and coalesce(new.peak_count, 0) > coalesce(old.peak_count, 0)))
    execute function webhook_incident_event();

-- The level of a service with an open incident changed (possible <-> problem): an update event,
-- unless this transaction already wrote one for the incident (it was opened or closed just now).
create function webhook_level_event() returns trigger language plpgsql as $$
declare
    inc record;
begin
    select id, service_id into inc from incident where service_id = new.service_id and ended_at is null;
    if not found or exists (select 1 from webhook_outbox where incident_id = inc.id and txid = txid_current()) then
        return null;
    end if;
    insert into webhook_outbox (type, reason, incident_id, service_id, level)
    values ('incident.updated', 'level', inc.id, inc.service_id, new.level);
    return null;
end $$;

create constraint trigger webhook_status_level after update on service_status
    deferrable initially deferred for each row
    when (old.level is distinct from new.level and new.level <> 'none')
    execute function webhook_level_event();
