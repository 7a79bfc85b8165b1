CREATE TABLE "erasure_records" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"request_ref" text NOT NULL,
	"erased_by" text NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	"categories" text[] NOT NULL,
	"counts" jsonb NOT NULL,
	CONSTRAINT "erasure_records_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "erasure_tombstones" (
	"tenant_id" text NOT NULL,
	"hash" text NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erasure_tombstones_tenant_id_hash_pk" PRIMARY KEY("tenant_id","hash")
);
--> statement-breakpoint
CREATE INDEX "erasure_records_customer_idx" ON "erasure_records" USING btree ("tenant_id","customer_id");