import type { ReactNode } from 'react';
import { Box, Button, Group, Paper, ScrollArea, Skeleton, Table, Text, VisuallyHidden } from '@mantine/core';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowData } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';

declare module '@tanstack/react-table' {
  // Layout hints a column definition may carry; TanStack leaves `meta` for apps to define.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    width?: number | string;
    align?: 'left' | 'right' | 'center';
  }
}

interface DataTableProps<T> {
  /** Read by screen readers to name the table. */
  caption: string;
  columns: ColumnDef<T>[];
  data: T[];
  getRowId: (row: T) => string;
  loading?: boolean;
  /** Shown instead of the table when there are no rows: it must say what to do next. */
  empty?: ReactNode;
  onRowClick?: (row: T) => void;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  minWidth?: number;
  testId?: string;
}

const SKELETON_ROWS = 6;

/**
 * Dense table over TanStack Table. Rows can be clicked for speed with a mouse; keyboard users reach the
 * same place through the link each feature puts in its first cell.
 */
export function DataTable<T>({
  caption,
  columns,
  data,
  getRowId,
  loading,
  empty,
  onRowClick,
  hasMore,
  loadingMore,
  onLoadMore,
  minWidth = 640,
  testId,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const table = useReactTable({ data, columns, getRowId, getCoreRowModel: getCoreRowModel() });

  if (!loading && data.length === 0 && empty) return <>{empty}</>;

  return (
    <Box data-testid={testId}>
      <Paper p={0} style={{ overflow: 'hidden' }}>
        <ScrollArea type="auto">
          <Table striped highlightOnHover={!!onRowClick} stickyHeader miw={minWidth} aria-busy={loading || undefined}>
            <caption>
              <VisuallyHidden>{caption}</VisuallyHidden>
            </caption>
            <Table.Thead>
              {table.getHeaderGroups().map((group) => (
                <Table.Tr key={group.id}>
                  {group.headers.map((header) => {
                    const meta = header.column.columnDef.meta;
                    return (
                      <Table.Th key={header.id} scope="col" w={meta?.width} ta={meta?.align}>
                        {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                      </Table.Th>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Thead>
            <Table.Tbody>
              {loading
                ? Array.from({ length: SKELETON_ROWS }, (_, i) => (
                    <Table.Tr key={`skeleton-${i}`}>
                      {columns.map((_, j) => (
                        <Table.Td key={j}>
                          <Skeleton height={14} radius="sm" />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))
                : table.getRowModel().rows.map((row) => (
                    <Table.Tr
                      key={row.id}
                      onClick={
                        onRowClick
                          ? (event) => {
                              // A click on a link, button or input inside the row does its own thing.
                              if ((event.target as HTMLElement).closest('a, button, input, label')) return;
                              onRowClick(row.original);
                            }
                          : undefined
                      }
                      style={onRowClick ? { cursor: 'pointer' } : undefined}
                    >
                      {row.getVisibleCells().map((cell) => {
                        const meta = cell.column.columnDef.meta;
                        return (
                          <Table.Td key={cell.id} ta={meta?.align}>
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      {!loading && data.length > 0 && (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('common.rowsShown', { count: data.length })}
          </Text>
          {hasMore && onLoadMore && (
            <Button variant="default" size="xs" onClick={onLoadMore} loading={loadingMore}>
              {t('common.loadMore')}
            </Button>
          )}
        </Group>
      )}
    </Box>
  );
}
