CREATE TABLE "service_tasks" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"notes" text,
	"division_id" uuid NOT NULL,
	"customer_id" uuid,
	"case_id" uuid,
	"opportunity_id" uuid,
	"assignee_user_id" uuid,
	"queue_team_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"remind_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_tasks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "service_tasks" ADD CONSTRAINT "service_tasks_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tasks" ADD CONSTRAINT "service_tasks_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tasks" ADD CONSTRAINT "service_tasks_tenant_id_case_id_cases_tenant_id_id_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tasks" ADD CONSTRAINT "service_tasks_tenant_id_assignee_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assignee_user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_tasks_assignee_idx" ON "service_tasks" USING btree ("tenant_id","assignee_user_id","status","due_at");--> statement-breakpoint
CREATE INDEX "service_tasks_customer_idx" ON "service_tasks" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "service_tasks_remind_idx" ON "service_tasks" USING btree ("tenant_id","remind_at") WHERE status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL;