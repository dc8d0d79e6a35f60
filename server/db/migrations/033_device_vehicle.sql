-- A vehicle camera rides on a vehicle: the feed (and the simulator) moves it with that vehicle.
ALTER TABLE devices ADD COLUMN vehicle_id integer REFERENCES vehicles ON DELETE SET NULL;
CREATE INDEX ON devices (vehicle_id);
