ALTER TABLE "customer_economics" ADD COLUMN "share_of_wallet" double precision;--> statement-breakpoint
ALTER TABLE "customer_economics" ADD COLUMN "wallet_gap" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_economics" ADD COLUMN "wallet" jsonb DEFAULT '{"held":[],"untapped":[]}'::jsonb NOT NULL;