// The one CSV writer, for the server's files (KPIs, network and trace exports) and the browser's
// (selections), so that every CSV the app hands out is written alike:
// - RFC 4180 quoting, CRLF between records, a cell with a line break of either kind quoted;
// - a UTF-8 BOM first: without it Excel on a Chinese Windows reads the file as GBK and garbles the names;
// - formula cells neutralised (OWASP, CSV injection): a text cell starting with = + - @, tab or CR is
//   prefixed with ', so a spreadsheet shows it rather than running it (=HYPERLINK(…) in a road name
//   would otherwise be a live link). Numbers stay numbers: -1.5 as a number is written as is, "-1+2" as
//   text is not.
// csv-stringify's browser build: its Node entry uses the global Buffer at load, which browsers lack; this
// build carries its own and runs in Node as well, so both sides import the same thing.
import { stringify } from 'csv-stringify/browser/esm/sync';

/** Cells: text, numbers, booleans and dates as such, null or undefined as empty, anything else as JSON. */
export type CsvCell = string | number | bigint | boolean | Date | object | null | undefined;

export function toCsv(records: readonly (readonly CsvCell[])[]): string {
  return stringify(records as CsvCell[][], {
    bom: true,
    record_delimiter: 'windows',
    // Given a record delimiter, csv-stringify would quote only cells holding that exact sequence; a lone
    // LF or CR in a cell must be quoted too.
    quote_record_delimiter: true,
    escape_formulas: true,
    // Spaces at either end survive a spreadsheet only inside quotes.
    quoted_match: /^\s|\s$/,
    // csv-stringify's defaults write true as 1, false as empty and a date as epoch milliseconds.
    cast: { boolean: (b) => String(b), date: (d) => d.toISOString() },
  });
}
