-- Nothing to do on H2 (see db/vendor/postgresql): this file keeps both databases at the same version.
SELECT 1;
