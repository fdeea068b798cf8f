-- The weekly email's send log records each message before it is sent ('sending') and its outcome after
-- ('sent' or 'failed'), one row per Message-ID, so a failure to record the outcome never sends it twice.
ALTER TABLE email_sends ADD COLUMN state VARCHAR DEFAULT 'sent';
