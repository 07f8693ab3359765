-- The detector's score is graded (issue 23): -log10 of the share of the service's past minutes at least as
-- surprising (ScoreCalibration), not capped at 1, so that a threshold swept over it is meaningful.
alter table service_status drop constraint if exists service_status_score_check;
alter table service_status add constraint service_status_score_check check (score >= 0);
