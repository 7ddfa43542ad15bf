-- Audit entries name their subject readably and link its page.
ALTER TABLE audit_log ADD COLUMN subject_title TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN subject_path TEXT NOT NULL DEFAULT '';
