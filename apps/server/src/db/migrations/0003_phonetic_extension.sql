-- Double Metaphone codes for phonetic name matching.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
