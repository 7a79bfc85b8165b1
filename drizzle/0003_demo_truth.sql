CREATE TABLE "demo_truth" (
	"tenant_id" text NOT NULL,
	"source_record_id" uuid NOT NULL,
	"person_key" text NOT NULL,
	"household_key" text NOT NULL,
	"quirks" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "demo_truth_tenant_id_source_record_id_pk" PRIMARY KEY("tenant_id","source_record_id")
);
--> statement-breakpoint
ALTER TABLE "demo_truth" ADD CONSTRAINT "demo_truth_tenant_id_source_record_id_source_records_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_record_id") REFERENCES "public"."source_records"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demo_truth_person_idx" ON "demo_truth" USING btree ("tenant_id","person_key");