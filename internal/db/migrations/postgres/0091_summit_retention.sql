-- When the delegations' personal details (e-mail addresses, travel times,
-- needs) of a summit were erased after the retention period; NULL: not yet.
ALTER TABLE summits ADD COLUMN personal_data_erased_at TIMESTAMP;
