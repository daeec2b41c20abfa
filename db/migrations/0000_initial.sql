CREATE TYPE "public"."auction_outcome" AS ENUM('sold', 'unsold', 'reserve_not_met');--> statement-breakpoint
CREATE TYPE "public"."auction_status" AS ENUM('scheduled', 'open', 'closed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."bid_kind" AS ENUM('bid', 'raise', 'buy_now');--> statement-breakpoint
CREATE TABLE "auctions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"starting_price" bigint NOT NULL,
	"reserve_price" bigint,
	"buy_now_price" bigint,
	"soft_close_window_seconds" integer DEFAULT 0 NOT NULL,
	"soft_close_extend_seconds" integer DEFAULT 0 NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" "auction_status" DEFAULT 'scheduled' NOT NULL,
	"outcome" "auction_outcome",
	"winner_id" uuid,
	"final_price" bigint,
	"bid_count" integer DEFAULT 0 NOT NULL,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "auctions_currency_iso" CHECK ("auctions"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "auctions_starting_price_positive" CHECK ("auctions"."starting_price" > 0),
	CONSTRAINT "auctions_ends_after_start" CHECK ("auctions"."ends_at" > "auctions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"auction_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bidder_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"max_amount" bigint NOT NULL,
	"kind" "bid_kind" NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bids_auction_id_seq_pk" PRIMARY KEY("auction_id","seq"),
	CONSTRAINT "bids_amounts_positive" CHECK ("bids"."amount" > 0 AND "bids"."max_amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text,
	"display_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_winner_id_users_id_fk" FOREIGN KEY ("winner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_bidder_id_users_id_fk" FOREIGN KEY ("bidder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auctions_status_ends_at_idx" ON "auctions" USING btree ("status","ends_at");--> statement-breakpoint
CREATE INDEX "auctions_seller_id_idx" ON "auctions" USING btree ("seller_id");--> statement-breakpoint
CREATE INDEX "bids_bidder_id_idx" ON "bids" USING btree ("bidder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));