CREATE TABLE "jobs" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"result" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "api_keys_hash_uq" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"csrf_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sessions_token_uq" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"role" text DEFAULT 'agent' NOT NULL,
	"team_id" uuid,
	"division_ids" uuid[] DEFAULT '{}' NOT NULL,
	"seniority" integer DEFAULT 2 NOT NULL,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"totp_secret" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "users_email_uq" UNIQUE("tenant_id","email")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"account_number" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_on" date,
	"closed_on" date,
	"balance" numeric(16, 2),
	"currency" text DEFAULT 'USD' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "accounts_number_uq" UNIQUE("tenant_id","division_id","account_number")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "products_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "customer_links" (
	"tenant_id" text NOT NULL,
	"source_record_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"method" text NOT NULL,
	"rule" text,
	"match_probability" real,
	"explanation" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_links_tenant_id_source_record_id_pk" PRIMARY KEY("tenant_id","source_record_id")
);
--> statement-breakpoint
CREATE TABLE "golden_customers" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"kind" text DEFAULT 'person' NOT NULL,
	"display_name" text NOT NULL,
	"search_name" text DEFAULT '' NOT NULL,
	"given_name" text,
	"family_name" text,
	"date_of_birth" date,
	"email" text,
	"phone" text,
	"address_line1" text,
	"locality" text,
	"postcode" text,
	"country" text,
	"provenance" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"division_ids" uuid[] DEFAULT '{}' NOT NULL,
	"source_record_count" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "golden_customers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "source_records" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"source_system_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"kind" text DEFAULT 'person' NOT NULL,
	"given_name" text,
	"family_name" text,
	"full_name" text,
	"search_name" text DEFAULT '' NOT NULL,
	"date_of_birth" date,
	"email" text,
	"phone" text,
	"street_number" text,
	"address_line1" text,
	"address_line2" text,
	"locality" text,
	"postcode" text,
	"region" text,
	"country" text,
	"national_id" text,
	"raw" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_hash" text DEFAULT '' NOT NULL,
	"source_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_records_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "source_records_external_uq" UNIQUE("tenant_id","source_system_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"touch_point" text NOT NULL,
	"direction" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"subject" text NOT NULL,
	"outcome" text,
	"sentiment" real,
	"cost" numeric(10, 2),
	"staff_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "divisions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "divisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "divisions_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "source_systems" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"unique_per_person" boolean DEFAULT true NOT NULL,
	"priority" integer DEFAULT 5 NOT NULL,
	"layout" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_systems_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "source_systems_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "teams_name_uq" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_team_id_teams_tenant_id_id_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."teams"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_source_record_id_source_records_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_record_id") REFERENCES "public"."source_records"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_product_id_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_links" ADD CONSTRAINT "customer_links_tenant_id_source_record_id_source_records_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_record_id") REFERENCES "public"."source_records"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_links" ADD CONSTRAINT "customer_links_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_records" ADD CONSTRAINT "source_records_tenant_id_source_system_id_source_systems_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_system_id") REFERENCES "public"."source_systems"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_tenant_id_source_record_id_source_records_tenant_id_id_fk" FOREIGN KEY ("tenant_id","source_record_id") REFERENCES "public"."source_records"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_systems" ADD CONSTRAINT "source_systems_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_status_idx" ON "jobs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "accounts_source_record_idx" ON "accounts" USING btree ("tenant_id","source_record_id");--> statement-breakpoint
CREATE INDEX "customer_links_customer_idx" ON "customer_links" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "golden_customers_search_trgm" ON "golden_customers" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "golden_customers_family_idx" ON "golden_customers" USING btree ("tenant_id","family_name","id");--> statement-breakpoint
CREATE INDEX "golden_customers_divisions_gin" ON "golden_customers" USING gin ("division_ids");--> statement-breakpoint
CREATE INDEX "golden_customers_name_idx" ON "golden_customers" USING btree ("tenant_id","display_name","id");--> statement-breakpoint
CREATE INDEX "source_records_search_trgm" ON "source_records" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "source_records_email_idx" ON "source_records" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE INDEX "source_records_national_id_idx" ON "source_records" USING btree ("tenant_id","national_id");--> statement-breakpoint
CREATE INDEX "interactions_record_time_idx" ON "interactions" USING btree ("tenant_id","source_record_id","occurred_at");