-- Nothing to do on PostgreSQL: its sequences do not write a transaction of their own when a cache
-- runs out (see db/vendor/h2). A cache per session would only let history ids of concurrent
-- sessions interleave, so the default is kept. This file keeps both databases at the same version.
SELECT 1;
