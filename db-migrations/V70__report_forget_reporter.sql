-- Privacy (issue 22): report.reporter_hash is needed only while the de-duplication window lasts (the writer
-- maps inserted ids back to submissions by it); afterwards the clean-up sets it to null, so that a dump no
-- longer links one person's reports of a day. Existing rows older than a day are forgotten now.
alter table report alter column reporter_hash drop not null;
update report set reporter_hash = null where received_at < now() - interval '1 day';
