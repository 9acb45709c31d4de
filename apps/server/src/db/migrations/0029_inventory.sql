CREATE TABLE "inventory_item_settings" (
	"clinic_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"reorder_level" integer DEFAULT 0 NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_item_settings_clinic_id_item_id_pk" PRIMARY KEY("clinic_id","item_id"),
	CONSTRAINT "inventory_item_settings_reorder" CHECK ("inventory_item_settings"."reorder_level" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inventory_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"formulary_item_id" uuid,
	"code" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"expires_on" date NOT NULL,
	"unit_cost" numeric(12, 4) NOT NULL,
	"supplier" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recalled_at" timestamp with time zone,
	"recall_reason" text,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "inventory_lots_on_hand" CHECK ("inventory_lots"."on_hand" >= 0),
	CONSTRAINT "inventory_lots_reserved" CHECK ("inventory_lots"."reserved" >= 0 AND "inventory_lots"."reserved" <= "inventory_lots"."on_hand"),
	CONSTRAINT "inventory_lots_unit_cost" CHECK ("inventory_lots"."unit_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inventory_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "inventory_movements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"clinic_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"reason" text,
	"reference" text,
	"reference_type" text,
	"reference_id" uuid,
	"transfer_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_movements_sign" CHECK (CASE "inventory_movements"."kind"
        WHEN 'receive' THEN "inventory_movements"."quantity" > 0
        WHEN 'transfer_in' THEN "inventory_movements"."quantity" > 0
        WHEN 'adjust' THEN "inventory_movements"."quantity" <> 0
        ELSE "inventory_movements"."quantity" < 0 END),
	CONSTRAINT "inventory_movements_balance" CHECK ("inventory_movements"."balance_after" >= 0),
	CONSTRAINT "inventory_movements_transfer_pair" CHECK (("inventory_movements"."kind" IN ('transfer_out', 'transfer_in')) = ("inventory_movements"."transfer_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "inventory_reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"owner_id" uuid NOT NULL,
	"reference_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_reservations_quantity" CHECK ("inventory_reservations"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "inventory_stock_take_lines" (
	"stock_take_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"expected" integer NOT NULL,
	"counted" integer NOT NULL,
	CONSTRAINT "inventory_stock_take_lines_stock_take_id_lot_id_pk" PRIMARY KEY("stock_take_id","lot_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_stock_takes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispense_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dispense_id" uuid NOT NULL,
	"prescription_item_id" uuid NOT NULL,
	"inventory_item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"substituted" boolean DEFAULT false NOT NULL,
	"substitution_reason" text,
	CONSTRAINT "dispense_lines_quantity" CHECK ("dispense_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "dispenses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prescription_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"counselling_note" text,
	"completed" boolean DEFAULT false NOT NULL,
	"dispensed_by" uuid NOT NULL,
	"dispensed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inventory_item_settings" ADD CONSTRAINT "inventory_item_settings_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_item_settings" ADD CONSTRAINT "inventory_item_settings_item_id_inventory_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inventory_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_item_settings" ADD CONSTRAINT "inventory_item_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_lots" ADD CONSTRAINT "inventory_lots_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_lots" ADD CONSTRAINT "inventory_lots_item_id_inventory_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inventory_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_item_id_inventory_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inventory_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_lot_id_inventory_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."inventory_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_movements" ADD CONSTRAINT "inventory_movements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_reservations" ADD CONSTRAINT "inventory_reservations_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_reservations" ADD CONSTRAINT "inventory_reservations_lot_id_inventory_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."inventory_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_reservations" ADD CONSTRAINT "inventory_reservations_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_stock_take_lines" ADD CONSTRAINT "inventory_stock_take_lines_stock_take_id_inventory_stock_takes_id_fk" FOREIGN KEY ("stock_take_id") REFERENCES "public"."inventory_stock_takes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_stock_take_lines" ADD CONSTRAINT "inventory_stock_take_lines_lot_id_inventory_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."inventory_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_stock_takes" ADD CONSTRAINT "inventory_stock_takes_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_stock_takes" ADD CONSTRAINT "inventory_stock_takes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispense_lines" ADD CONSTRAINT "dispense_lines_dispense_id_dispenses_id_fk" FOREIGN KEY ("dispense_id") REFERENCES "public"."dispenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispense_lines" ADD CONSTRAINT "dispense_lines_inventory_item_id_inventory_items_id_fk" FOREIGN KEY ("inventory_item_id") REFERENCES "public"."inventory_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispenses" ADD CONSTRAINT "dispenses_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispenses" ADD CONSTRAINT "dispenses_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispenses" ADD CONSTRAINT "dispenses_dispensed_by_users_id_fk" FOREIGN KEY ("dispensed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_items_formulary" ON "inventory_items" USING btree ("formulary_item_id");--> statement-breakpoint
CREATE INDEX "inventory_items_kind_name" ON "inventory_items" USING btree ("kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_items_code" ON "inventory_items" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_lots_number" ON "inventory_lots" USING btree ("clinic_id","item_id","lot_number");--> statement-breakpoint
CREATE INDEX "inventory_lots_fefo" ON "inventory_lots" USING btree ("clinic_id","item_id","expires_on");--> statement-breakpoint
CREATE INDEX "inventory_lots_expiry" ON "inventory_lots" USING btree ("clinic_id","expires_on");--> statement-breakpoint
CREATE INDEX "inventory_movements_item" ON "inventory_movements" USING btree ("clinic_id","item_id","seq");--> statement-breakpoint
CREATE INDEX "inventory_movements_lot" ON "inventory_movements" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "inventory_movements_reference" ON "inventory_movements" USING btree ("reference_id");--> statement-breakpoint
CREATE INDEX "inventory_movements_transfer" ON "inventory_movements" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "inventory_reservations_expiry" ON "inventory_reservations" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "inventory_reservations_lot" ON "inventory_reservations" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "dispense_lines_dispense" ON "dispense_lines" USING btree ("dispense_id");--> statement-breakpoint
CREATE INDEX "dispense_lines_prescription_item" ON "dispense_lines" USING btree ("prescription_item_id");--> statement-breakpoint
CREATE INDEX "dispenses_prescription" ON "dispenses" USING btree ("prescription_id","dispensed_at");--> statement-breakpoint
CREATE INDEX "dispenses_patient" ON "dispenses" USING btree ("patient_id");--> statement-breakpoint
-- The stock ledger is append-only, like the audit tables: a movement is corrected by another movement.
CREATE TRIGGER inventory_movements_append_only BEFORE UPDATE OR DELETE ON inventory_movements
  FOR EACH ROW EXECUTE FUNCTION sanita_refuse_change();
--> statement-breakpoint
CREATE TRIGGER inventory_movements_no_truncate BEFORE TRUNCATE ON inventory_movements
  FOR EACH STATEMENT EXECUTE FUNCTION sanita_refuse_change();
