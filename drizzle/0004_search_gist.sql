DROP INDEX "golden_customers_search_trgm";--> statement-breakpoint
DROP INDEX "source_records_search_trgm";--> statement-breakpoint
CREATE INDEX "golden_customers_search_trgm" ON "golden_customers" USING gist ("search_name" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "source_records_search_trgm" ON "source_records" USING gist ("search_name" gist_trgm_ops);