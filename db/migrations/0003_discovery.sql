CREATE TYPE "public"."auction_category" AS ENUM('antiques', 'art', 'books', 'collectibles', 'electronics', 'fashion', 'home', 'jewellery', 'music', 'sports', 'toys', 'vehicles', 'other');--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "category" "auction_category";--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "current_price" bigint;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "leader_id" uuid;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')) STORED;--> statement-breakpoint
CREATE INDEX "auctions_search_idx" ON "auctions" USING gin ("search");--> statement-breakpoint
CREATE INDEX "auctions_updated_at_idx" ON "auctions" USING btree ("updated_at","id");