-- A summit's deadlines, each a day in the summit's zone ('' when none):
-- the last day cities may register delegations, and the last day cities
-- may bid to host the next summit. Both go into the calendar.
ALTER TABLE summits ADD COLUMN registration_closes_on TEXT NOT NULL DEFAULT '';
ALTER TABLE summits ADD COLUMN bids_close_on TEXT NOT NULL DEFAULT '';
