CREATE TABLE "sales_components" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"unit" text DEFAULT 'each' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_components_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_components_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_counters" (
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"value" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sales_counters_tenant_id_name_pk" PRIMARY KEY("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "sales_fulfiller_offers" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"fulfiller_id" uuid NOT NULL,
	"component_id" uuid NOT NULL,
	"lead_time_days" integer NOT NULL,
	"capacity_per_day" numeric(14, 3),
	"stock_on_hand" numeric(14, 3),
	"unit_cost" numeric(18, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_fulfiller_offers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_fulfiller_offers_uq" UNIQUE("tenant_id","fulfiller_id","component_id")
);
--> statement-breakpoint
CREATE TABLE "sales_fulfillers" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"contact_email" text,
	"holidays" text[] DEFAULT '{}' NOT NULL,
	"callback_secret" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_fulfillers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_fulfillers_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_mishandlings" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"cause" text NOT NULL,
	"line_no" integer,
	"fulfiller_id" uuid,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_mishandlings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sales_opportunities" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_code" text NOT NULL,
	"division_id" uuid NOT NULL,
	"name" text NOT NULL,
	"customer_id" uuid,
	"prospect" jsonb,
	"owner_user_id" uuid,
	"amount" numeric(18, 4) NOT NULL,
	"currency" text NOT NULL,
	"expected_close" date NOT NULL,
	"outcome" text DEFAULT 'open' NOT NULL,
	"closed_on" date,
	"lost_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_opportunities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sales_opportunity_stage_changes" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text,
	CONSTRAINT "sales_opportunity_stage_changes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sales_order_events" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text,
	CONSTRAINT "sales_order_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_order_events_dedupe_uq" UNIQUE("tenant_id","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "sales_order_lines" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"product_code" text NOT NULL,
	"description" text NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"configuration" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"unit_price" numeric(18, 4) NOT NULL,
	"net_amount" numeric(18, 4) NOT NULL,
	"customised" boolean DEFAULT false NOT NULL,
	"bundle" text,
	CONSTRAINT "sales_order_lines_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_order_lines_uq" UNIQUE("tenant_id","order_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "sales_order_routes" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"fulfiller_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"promised_date" date NOT NULL,
	"estimated_date" date NOT NULL,
	"cost" numeric(18, 4) NOT NULL,
	"items" jsonb NOT NULL,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_order_routes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_order_routes_uq" UNIQUE("tenant_id","order_id","fulfiller_id")
);
--> statement-breakpoint
CREATE TABLE "sales_orders" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"number" text NOT NULL,
	"quote_id" uuid NOT NULL,
	"quote_version" integer NOT NULL,
	"customer_reference" text,
	"division_id" uuid NOT NULL,
	"customer_id" uuid,
	"prospect" jsonb,
	"owner_user_id" uuid,
	"currency" text NOT NULL,
	"net_total" numeric(18, 4) NOT NULL,
	"cost_total" numeric(18, 4) NOT NULL,
	"status" text DEFAULT 'confirmed' NOT NULL,
	"promised_date" date NOT NULL,
	"estimated_date" date NOT NULL,
	"custom" boolean DEFAULT false NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"quoted_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"accepted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_orders_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_orders_number_uq" UNIQUE("tenant_id","number"),
	CONSTRAINT "sales_orders_quote_uq" UNIQUE("tenant_id","quote_id")
);
--> statement-breakpoint
CREATE TABLE "sales_outbox" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_outbox_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sales_pipeline_stages" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"probability" integer NOT NULL,
	"outcome" text DEFAULT 'open' NOT NULL,
	CONSTRAINT "sales_pipeline_stages_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_pipeline_stages_code_uq" UNIQUE("tenant_id","pipeline_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_pipelines" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_pipelines_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_pipelines_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_price_list_items" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"price_list_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"base_price" numeric(18, 4) NOT NULL,
	"components" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"floor_price" numeric(18, 4),
	"floor_percent_of_list" numeric(5, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_price_list_items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_price_list_items_uq" UNIQUE("tenant_id","price_list_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "sales_price_lists" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"approval_threshold_percent" numeric(5, 2) DEFAULT 10 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_price_lists_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_price_lists_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_price_rules" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"price_list_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"priority" integer NOT NULL,
	"when" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"percent_off" numeric(5, 2),
	"amount_off" numeric(18, 4),
	"exclusive" boolean DEFAULT false NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_price_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_price_rules_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_products" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"division_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"kind" text NOT NULL,
	"unit" text DEFAULT 'each' NOT NULL,
	"definition" jsonb NOT NULL,
	"holdings_product_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_products_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_products_code_uq" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "sales_quote_versions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"quote_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"price_list_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"priced_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"list_total" numeric(18, 4) NOT NULL,
	"net_total" numeric(18, 4) NOT NULL,
	"cost_total" numeric(18, 4) NOT NULL,
	"delivery_date" date NOT NULL,
	"max_manual_discount_percent" numeric(5, 2) DEFAULT 0 NOT NULL,
	"approval_required" boolean DEFAULT false NOT NULL,
	"document" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	CONSTRAINT "sales_quote_versions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_quote_versions_uq" UNIQUE("tenant_id","quote_id","version")
);
--> statement-breakpoint
CREATE TABLE "sales_quotes" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"number" text NOT NULL,
	"title" text,
	"division_id" uuid NOT NULL,
	"customer_id" uuid,
	"prospect" jsonb,
	"opportunity_id" uuid,
	"owner_user_id" uuid,
	"current_version" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"channel" text DEFAULT 'rep' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"need_by" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_quotes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sales_quotes_number_uq" UNIQUE("tenant_id","number")
);
--> statement-breakpoint
CREATE TABLE "sales_webhook_endpoints" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" text[] DEFAULT '{}' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_webhook_endpoints_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "sales_fulfiller_offers" ADD CONSTRAINT "sales_fulfiller_offers_tenant_id_fulfiller_id_sales_fulfillers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","fulfiller_id") REFERENCES "public"."sales_fulfillers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_fulfiller_offers" ADD CONSTRAINT "sales_fulfiller_offers_tenant_id_component_id_sales_components_tenant_id_id_fk" FOREIGN KEY ("tenant_id","component_id") REFERENCES "public"."sales_components"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_mishandlings" ADD CONSTRAINT "sales_mishandlings_tenant_id_order_id_sales_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."sales_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_mishandlings" ADD CONSTRAINT "sales_mishandlings_tenant_id_fulfiller_id_sales_fulfillers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","fulfiller_id") REFERENCES "public"."sales_fulfillers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_opportunities" ADD CONSTRAINT "sales_opportunities_tenant_id_pipeline_id_stage_code_sales_pipeline_stages_tenant_id_pipeline_id_code_fk" FOREIGN KEY ("tenant_id","pipeline_id","stage_code") REFERENCES "public"."sales_pipeline_stages"("tenant_id","pipeline_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_opportunities" ADD CONSTRAINT "sales_opportunities_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_opportunities" ADD CONSTRAINT "sales_opportunities_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_opportunities" ADD CONSTRAINT "sales_opportunities_tenant_id_owner_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","owner_user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_opportunity_stage_changes" ADD CONSTRAINT "sales_opportunity_stage_changes_tenant_id_opportunity_id_sales_opportunities_tenant_id_id_fk" FOREIGN KEY ("tenant_id","opportunity_id") REFERENCES "public"."sales_opportunities"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_events" ADD CONSTRAINT "sales_order_events_tenant_id_order_id_sales_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."sales_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_tenant_id_order_id_sales_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."sales_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_tenant_id_product_id_sales_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."sales_products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_routes" ADD CONSTRAINT "sales_order_routes_tenant_id_order_id_sales_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."sales_orders"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_routes" ADD CONSTRAINT "sales_order_routes_tenant_id_fulfiller_id_sales_fulfillers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","fulfiller_id") REFERENCES "public"."sales_fulfillers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_tenant_id_quote_id_sales_quotes_tenant_id_id_fk" FOREIGN KEY ("tenant_id","quote_id") REFERENCES "public"."sales_quotes"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_outbox" ADD CONSTRAINT "sales_outbox_tenant_id_endpoint_id_sales_webhook_endpoints_tenant_id_id_fk" FOREIGN KEY ("tenant_id","endpoint_id") REFERENCES "public"."sales_webhook_endpoints"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_pipeline_stages" ADD CONSTRAINT "sales_pipeline_stages_tenant_id_pipeline_id_sales_pipelines_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pipeline_id") REFERENCES "public"."sales_pipelines"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_pipelines" ADD CONSTRAINT "sales_pipelines_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_price_list_items" ADD CONSTRAINT "sales_price_list_items_tenant_id_price_list_id_sales_price_lists_tenant_id_id_fk" FOREIGN KEY ("tenant_id","price_list_id") REFERENCES "public"."sales_price_lists"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_price_list_items" ADD CONSTRAINT "sales_price_list_items_tenant_id_product_id_sales_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."sales_products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_price_lists" ADD CONSTRAINT "sales_price_lists_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_price_rules" ADD CONSTRAINT "sales_price_rules_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_price_rules" ADD CONSTRAINT "sales_price_rules_tenant_id_price_list_id_sales_price_lists_tenant_id_id_fk" FOREIGN KEY ("tenant_id","price_list_id") REFERENCES "public"."sales_price_lists"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_products" ADD CONSTRAINT "sales_products_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_products" ADD CONSTRAINT "sales_products_tenant_id_holdings_product_id_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","holdings_product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_quote_versions" ADD CONSTRAINT "sales_quote_versions_tenant_id_quote_id_sales_quotes_tenant_id_id_fk" FOREIGN KEY ("tenant_id","quote_id") REFERENCES "public"."sales_quotes"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_quote_versions" ADD CONSTRAINT "sales_quote_versions_tenant_id_price_list_id_sales_price_lists_tenant_id_id_fk" FOREIGN KEY ("tenant_id","price_list_id") REFERENCES "public"."sales_price_lists"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_quotes" ADD CONSTRAINT "sales_quotes_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_quotes" ADD CONSTRAINT "sales_quotes_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_quotes" ADD CONSTRAINT "sales_quotes_tenant_id_opportunity_id_sales_opportunities_tenant_id_id_fk" FOREIGN KEY ("tenant_id","opportunity_id") REFERENCES "public"."sales_opportunities"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_quotes" ADD CONSTRAINT "sales_quotes_tenant_id_owner_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","owner_user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sales_mishandlings_order_idx" ON "sales_mishandlings" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE INDEX "sales_opportunities_pipeline_idx" ON "sales_opportunities" USING btree ("tenant_id","pipeline_id","outcome","expected_close");--> statement-breakpoint
CREATE INDEX "sales_opportunities_customer_idx" ON "sales_opportunities" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "sales_opportunity_stage_changes_idx" ON "sales_opportunity_stage_changes" USING btree ("tenant_id","opportunity_id","changed_at");--> statement-breakpoint
CREATE INDEX "sales_order_events_order_idx" ON "sales_order_events" USING btree ("tenant_id","order_id","at");--> statement-breakpoint
CREATE INDEX "sales_order_routes_open_idx" ON "sales_order_routes" USING btree ("tenant_id","fulfiller_id","status");--> statement-breakpoint
CREATE INDEX "sales_orders_accepted_idx" ON "sales_orders" USING btree ("tenant_id","division_id","accepted_at");--> statement-breakpoint
CREATE INDEX "sales_orders_customer_idx" ON "sales_orders" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "sales_outbox_due_idx" ON "sales_outbox" USING btree ("next_attempt_at") WHERE delivered_at IS NULL;--> statement-breakpoint
CREATE INDEX "sales_quote_versions_pending_idx" ON "sales_quote_versions" USING btree ("tenant_id","status") WHERE status = 'pending_approval';--> statement-breakpoint
CREATE INDEX "sales_quotes_customer_idx" ON "sales_quotes" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "sales_quotes_requested_idx" ON "sales_quotes" USING btree ("tenant_id","division_id","requested_at");