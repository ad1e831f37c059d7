-- The per-administration lock that serialises the draws for one administration across containers
-- (app::InventoryTransaction::LockAdministrationDraws): two nurses drawing for one administration from two vials
-- are judged one after the other against its dose. Same schema as sqlite/migrations.
CREATE TABLE cs_administration_locks (
    administration_id BIGINT PRIMARY KEY REFERENCES administrations (id),
    generation BIGINT NOT NULL
);
