-- Trigram matching for typo-tolerant name search; unaccent for imports and ad-hoc queries.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
