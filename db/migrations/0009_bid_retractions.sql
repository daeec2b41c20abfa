CREATE TABLE "bid_retractions" (
	"auction_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bidder_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"scope" text NOT NULL,
	"last_seq" integer NOT NULL,
	"bidder_alias" integer NOT NULL,
	"price_after" bigint NOT NULL,
	"bid_count_after" integer NOT NULL,
	"reason" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"request_id" text NOT NULL,
	"retracted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bid_retractions_auction_id_seq_pk" PRIMARY KEY("auction_id","seq"),
	CONSTRAINT "bid_retractions_mode" CHECK ("bid_retractions"."mode" IN ('retract', 'void')),
	CONSTRAINT "bid_retractions_scope" CHECK ("bid_retractions"."scope" IN ('all', 'last'))
);
--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "bidding_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "auctions" ADD COLUMN "leader_alias" integer;--> statement-breakpoint
ALTER TABLE "bids" ADD COLUMN "bidder_alias" integer;--> statement-breakpoint
ALTER TABLE "bids" ADD COLUMN "bid_count_after" integer;--> statement-breakpoint
ALTER TABLE "bids" ADD COLUMN "retracted_by_seq" integer;--> statement-breakpoint
ALTER TABLE "bid_retractions" ADD CONSTRAINT "bid_retractions_auction_id_auctions_id_fk" FOREIGN KEY ("auction_id") REFERENCES "public"."auctions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_retractions" ADD CONSTRAINT "bid_retractions_bidder_id_users_id_fk" FOREIGN KEY ("bidder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bid_retractions_bidder_id_retracted_at_idx" ON "bid_retractions" USING btree ("bidder_id","retracted_at");--> statement-breakpoint
-- Before retractions, an auction's last seq was its bid count.
UPDATE "auctions" SET "bidding_seq" = "bid_count";--> statement-breakpoint
-- Aliases for the bids made before aliases: 1, 2, 3… in the order of first bids, as the bid script gives them.
UPDATE "bids" AS b SET "bidder_alias" = r.alias
FROM (
  SELECT auction_id, bidder_id, dense_rank() OVER (PARTITION BY auction_id ORDER BY min(seq)) AS alias
  FROM bids GROUP BY auction_id, bidder_id
) AS r
WHERE b.auction_id = r.auction_id AND b.bidder_id = r.bidder_id;--> statement-breakpoint
UPDATE "auctions" AS a SET "leader_alias" = b.bidder_alias
FROM "bids" AS b
WHERE b.auction_id = a.id AND b.bidder_id = a.leader_id AND b.seq = (
  SELECT min(seq) FROM bids WHERE auction_id = a.id AND bidder_id = a.leader_id
);
