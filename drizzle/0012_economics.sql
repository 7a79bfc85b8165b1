CREATE TABLE "customer_economics" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"model_version" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"x" double precision,
	"t_x" double precision,
	"big_t" double precision,
	"monetary" double precision,
	"expected_purchases" double precision,
	"probability_alive" double precision,
	"probability_alive_previous" double precision,
	"expected_spend" double precision,
	"clv" double precision,
	"tier" text NOT NULL,
	"disposition" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rfm_r" smallint,
	"rfm_f" smallint,
	"rfm_m" smallint,
	"rfm_segment" text,
	"recency_days" integer,
	"revenue" double precision DEFAULT 0 NOT NULL,
	"gross_margin" double precision DEFAULT 0 NOT NULL,
	"cost_to_serve" double precision DEFAULT 0 NOT NULL,
	"profit" double precision DEFAULT 0 NOT NULL,
	"spend_recent" double precision DEFAULT 0 NOT NULL,
	"spend_previous" double precision DEFAULT 0 NOT NULL,
	"by_division" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_economics_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "economics_fits" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"run_id" uuid,
	"model" text NOT NULL,
	"model_version" text NOT NULL,
	"source_system_id" uuid,
	"period" text NOT NULL,
	"calibration_end" date NOT NULL,
	"params" jsonb NOT NULL,
	"log_likelihood" double precision NOT NULL,
	"customers" integer NOT NULL,
	"converged" boolean NOT NULL,
	"iterations" integer DEFAULT 0 NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economics_fits_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "economics_runs" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"model_version" text NOT NULL,
	"period" text NOT NULL,
	"calibration_end" date NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stats" jsonb,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "economics_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "economics_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"source_system_id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"amount" numeric(18, 4) NOT NULL,
	"kind" text DEFAULT 'purchase' NOT NULL,
	"quantity" numeric(18, 4),
	"product" text,
	"currency" text DEFAULT 'USD' NOT NULL,
	"raw" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transactions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "transactions_external_uq" UNIQUE("tenant_id","source_system_id","external_id")
);
--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_tenant_id_source_system_id_source_systems_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_system_id") REFERENCES "public"."source_systems"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_tenant_id_source_record_id_source_records_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_record_id") REFERENCES "public"."source_records"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_economics_clv_idx" ON "customer_economics" USING btree ("tenant_id","clv");--> statement-breakpoint
CREATE INDEX "customer_economics_run_idx" ON "customer_economics" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "economics_fits_created_idx" ON "economics_fits" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "economics_runs_started_idx" ON "economics_runs" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "transactions_record_time_idx" ON "transactions" USING btree ("tenant_id","source_record_id","occurred_at");