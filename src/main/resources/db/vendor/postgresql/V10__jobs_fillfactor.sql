-- Room on each page of jobs for the updated versions of its rows: a job's row is updated three
-- times soon after its insert (published, started, finished), none of which changes an indexed
-- column, so with room on the page PostgreSQL keeps them as HOT updates (no index entries written).
ALTER TABLE jobs SET (fillfactor = 70);
