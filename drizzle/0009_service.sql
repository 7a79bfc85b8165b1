CREATE TABLE "assignment_decisions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"customer_id" uuid,
	"outcome" text NOT NULL,
	"user_id" uuid,
	"queue_team_id" uuid,
	"queue_division_id" uuid,
	"reasons" jsonb NOT NULL,
	"candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decided_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_decisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "care_episodes" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"note" text,
	CONSTRAINT "care_episodes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "care_episodes_case_uq" UNIQUE("tenant_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"from_value" text,
	"to_value" text,
	"note" text,
	"detail" jsonb,
	"actor_user_id" uuid,
	"actor_kind" text NOT NULL,
	CONSTRAINT "case_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"description" text,
	"division_id" uuid NOT NULL,
	"product_id" uuid,
	"touch_point" text NOT NULL,
	"language" text,
	"priority" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"owner_user_id" uuid,
	"queue_team_id" uuid,
	"queue_division_id" uuid,
	"root_cause" text,
	"value_tier" text DEFAULT 'rest' NOT NULL,
	"sla" jsonb NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"waiting_pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resolved_pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_response_state" text DEFAULT 'running' NOT NULL,
	"resolution_state" text DEFAULT 'running' NOT NULL,
	"first_response_due_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone,
	"sla_next_check_at" timestamp with time zone,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"origin" text DEFAULT 'staff' NOT NULL,
	"origin_ref" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer_stages" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"previous_stage" text,
	"since" timestamp with time zone NOT NULL,
	"win_back_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_stages_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "recovery_actions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"episode_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"due_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"note" text,
	"amount" numeric(12, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recovery_actions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "recovery_actions_kind_uq" UNIQUE("tenant_id","episode_id","kind")
);
--> statement-breakpoint
CREATE TABLE "relationship_managers" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	"decision_id" uuid,
	CONSTRAINT "relationship_managers_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "service_alarms" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"subject_key" text DEFAULT '' NOT NULL,
	"severity" text NOT NULL,
	"reason" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"case_id" uuid,
	"first_raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "service_alarms_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "service_alarms_subject_uq" UNIQUE("tenant_id","kind","customer_id","subject_key")
);
--> statement-breakpoint
CREATE TABLE "service_calendars" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"week" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_calendars_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "service_calendars_name_uq" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "service_notifications" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid,
	"division_id" uuid,
	"case_id" uuid,
	"customer_id" uuid,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "service_notifications_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "service_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"survey_secret" text NOT NULL,
	"default_calendar_id" uuid,
	"routing" jsonb,
	"lifecycle_rules" jsonb,
	"alarms" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text,
	"priority" text,
	"tier" text,
	"first_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	"warn_at_fraction" real DEFAULT 0.75 NOT NULL,
	"escalation" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"calendar_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sla_policies_name_uq" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "staff_availability" (
	"tenant_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"available" boolean DEFAULT true NOT NULL,
	"away_until" timestamp with time zone,
	"capacity" integer DEFAULT 25 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_availability_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "stage_transitions" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"cause" text NOT NULL,
	"event" text,
	"rule_name" text,
	"actor_user_id" uuid,
	"note" text,
	CONSTRAINT "stage_transitions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"case_id" uuid,
	"division_id" uuid,
	"touch_point" text,
	"staff_user_id" uuid,
	"event" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	CONSTRAINT "survey_invitations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"invitation_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"case_id" uuid,
	"division_id" uuid,
	"touch_point" text,
	"staff_user_id" uuid,
	"score" real,
	"sentiment" text,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"comment" text,
	"follow_up_case_id" uuid,
	"responded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "survey_responses_invitation_uq" UNIQUE("tenant_id","invitation_id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"tenant_id" text NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"trigger" text DEFAULT 'manual' NOT NULL,
	"question" text NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scoring" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"valid_days" integer DEFAULT 14 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "surveys_name_uq" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
ALTER TABLE "care_episodes" ADD CONSTRAINT "care_episodes_tenant_id_case_id_cases_tenant_id_id_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_tenant_id_case_id_cases_tenant_id_id_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_division_id_divisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","division_id") REFERENCES "public"."divisions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_product_id_products_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_owner_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","owner_user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_queue_team_id_teams_tenant_id_id_fk" FOREIGN KEY ("tenant_id","queue_team_id") REFERENCES "public"."teams"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_stages" ADD CONSTRAINT "customer_stages_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_actions" ADD CONSTRAINT "recovery_actions_tenant_id_episode_id_care_episodes_tenant_id_id_fk" FOREIGN KEY ("tenant_id","episode_id") REFERENCES "public"."care_episodes"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_managers" ADD CONSTRAINT "relationship_managers_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_managers" ADD CONSTRAINT "relationship_managers_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_tenant_id_calendar_id_service_calendars_tenant_id_id_fk" FOREIGN KEY ("tenant_id","calendar_id") REFERENCES "public"."service_calendars"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_availability" ADD CONSTRAINT "staff_availability_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_tenant_id_survey_id_surveys_tenant_id_id_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_tenant_id_customer_id_golden_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."golden_customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_tenant_id_invitation_id_survey_invitations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","invitation_id") REFERENCES "public"."survey_invitations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_decisions_subject_idx" ON "assignment_decisions" USING btree ("tenant_id","subject_id","created_at");--> statement-breakpoint
CREATE INDEX "care_episodes_customer_idx" ON "care_episodes" USING btree ("tenant_id","customer_id","opened_at");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("tenant_id","case_id","at");--> statement-breakpoint
CREATE INDEX "cases_customer_idx" ON "cases" USING btree ("tenant_id","customer_id","opened_at");--> statement-breakpoint
CREATE INDEX "cases_owner_idx" ON "cases" USING btree ("tenant_id","owner_user_id","status");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("tenant_id","status","id");--> statement-breakpoint
CREATE INDEX "cases_sla_next_idx" ON "cases" USING btree ("tenant_id","sla_next_check_at","id") WHERE sla_next_check_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "customer_stages_stage_idx" ON "customer_stages" USING btree ("tenant_id","stage","since");--> statement-breakpoint
CREATE INDEX "relationship_managers_user_idx" ON "relationship_managers" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "service_alarms_open_idx" ON "service_alarms" USING btree ("tenant_id","resolved_at","kind");--> statement-breakpoint
CREATE INDEX "service_alarms_customer_idx" ON "service_alarms" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "service_notifications_user_idx" ON "service_notifications" USING btree ("tenant_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "stage_transitions_customer_idx" ON "stage_transitions" USING btree ("tenant_id","customer_id","at");--> statement-breakpoint
CREATE INDEX "stage_transitions_at_idx" ON "stage_transitions" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "survey_invitations_customer_idx" ON "survey_invitations" USING btree ("tenant_id","customer_id","sent_at");--> statement-breakpoint
CREATE INDEX "survey_responses_survey_idx" ON "survey_responses" USING btree ("tenant_id","survey_id","responded_at");