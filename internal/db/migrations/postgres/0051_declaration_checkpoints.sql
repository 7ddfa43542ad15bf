-- The platform's signed checkpoint of each declaration's log (entry count,
-- head hash, time, key), renewed with every append; '' until the first.
ALTER TABLE declaration_log_heads ADD COLUMN checkpoint TEXT NOT NULL DEFAULT '';
