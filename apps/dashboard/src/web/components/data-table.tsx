import {
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { useMemo, useState, type ReactNode } from "react";
import { downloadText, toCsv, type CsvColumn } from "../lib/csv.js";
import { Empty } from "./states.js";

/** One column: its header, how a cell shows, and the plain value it sorts and exports by. */
export interface Column<Row> {
  id: string;
  header: string;
  value: (row: Row) => string | number | null;
  cell?: (row: Row) => ReactNode;
  /** Right-aligned (numbers, money). */
  numeric?: boolean;
}

export interface DataTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  /** File name of the CSV export of the rows shown (all pages); no export button without it. */
  csvName?: string;
  empty?: ReactNode;
  pageSize?: number;
  initialSort?: { id: string; desc: boolean };
}

/**
 * A table that sorts (click a header) and pages, with a CSV export of its
 * rows in their current order. Headers are buttons, so sorting works from the
 * keyboard; `aria-sort` tells screen readers the order.
 */
export function DataTable<Row>({
  caption,
  rows,
  columns,
  csvName,
  empty = "Nothing to show.",
  pageSize = 20,
  initialSort,
}: DataTableProps<Row>) {
  const [sorting, setSorting] = useState<SortingState>(initialSort ? [initialSort] : []);
  const definitions = useMemo<ColumnDef<Row>[]>(
    () =>
      columns.map((column) => ({
        id: column.id,
        header: column.header,
        accessorFn: (row: Row) => column.value(row),
        cell: (context) =>
          column.cell ? column.cell(context.row.original) : String(column.value(context.row.original) ?? ""),
        sortingFn: column.numeric ? numericSort : "alphanumeric",
        meta: { numeric: column.numeric ?? false },
      })),
    [columns],
  );
  const table = useReactTable({
    data: rows as Row[],
    columns: definitions,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize } },
  });

  if (rows.length === 0) return <Empty>{empty}</Empty>;
  const exportCsv = () => {
    const sorted = table.getSortedRowModel().rows.map((row) => row.original);
    const csvColumns: CsvColumn<Row>[] = columns.map((column) => ({ header: column.id, value: column.value }));
    downloadText(csvName ?? "export.csv", toCsv(sorted, csvColumns));
  };
  const page = table.getState().pagination.pageIndex;
  return (
    <div className="table-block">
      {/* The caption is the table's name for screen readers; this copy stays in view when the table scrolls sideways. */}
      <p className="table-title" aria-hidden="true">
        {caption}
      </p>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as { numeric: boolean }).numeric;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? "numeric" : undefined}
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                    >
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={(cell.column.columnDef.meta as { numeric: boolean }).numeric ? "numeric" : undefined}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-footer">
        {table.getPageCount() > 1 && (
          <nav className="pager" aria-label={`${caption}: pages`}>
            <button type="button" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
              Previous
            </button>
            <span>
              Page {page + 1} of {table.getPageCount()}
            </span>
            <button type="button" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
              Next
            </button>
          </nav>
        )}
        {csvName && (
          <button type="button" onClick={exportCsv}>
            Export CSV
          </button>
        )}
      </div>
    </div>
  );
}

function numericSort<Row>(
  a: { getValue: (id: string) => unknown; original: Row },
  b: { getValue: (id: string) => unknown; original: Row },
  id: string,
): number {
  return Number(a.getValue(id) ?? 0) - Number(b.getValue(id) ?? 0);
}
