-- Every layer can be imported from a district's own files (server/importers/layers): the imports table
-- records which layer an import went to and the ledger formats it came in; hazards and misconnections get
-- the code of their ledger row, so that importing the ledger again updates them instead of adding copies.
ALTER TABLE imports DROP CONSTRAINT imports_format_check;
ALTER TABLE imports ADD CONSTRAINT imports_format_check CHECK (format IN ('geojson', 'shapefile', 'gpkg', 'swmm', 'kml', 'csv', 'xlsx'));
ALTER TABLE imports ADD COLUMN layer text NOT NULL DEFAULT 'pipes';

-- hazards.code is the CJJ 181 defect code: the ledger's own code is another column.
ALTER TABLE hazards ADD COLUMN ledger_code text UNIQUE;
ALTER TABLE misconnections ADD COLUMN ledger_code text UNIQUE;
