CREATE TABLE "cluster_events" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"event" text NOT NULL,
	"source_record_ids" uuid[] DEFAULT '{}' NOT NULL,
	"other_customer_id" uuid,
	"actor" text NOT NULL,
	"reason" text,
	"run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cluster_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "match_decisions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"record_a" uuid NOT NULL,
	"record_b" uuid NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_decisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "match_decisions_pair_uq" UNIQUE("tenant_id","record_a","record_b")
);
--> statement-breakpoint
CREATE TABLE "resolution_runs" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"mode" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"watermark" timestamp with time zone,
	"model" jsonb,
	"stats" jsonb,
	CONSTRAINT "resolution_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "review_pairs" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"record_a" uuid NOT NULL,
	"record_b" uuid NOT NULL,
	"match_probability" real NOT NULL,
	"match_weight" real,
	"explanation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_pairs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "review_pairs_pair_uq" UNIQUE("tenant_id","record_a","record_b")
);
--> statement-breakpoint
CREATE INDEX "cluster_events_customer_idx" ON "cluster_events" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "resolution_runs_started_idx" ON "resolution_runs" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "review_pairs_status_idx" ON "review_pairs" USING btree ("tenant_id","status","match_probability");