import { Box, Text } from "ink";
import type { ReactElement } from "react";
import { color } from "../format.js";

/**
 * A pane shrunk to one line while another is being read: its title and its first row (the
 * checks' status), and how many rows more tab shows.
 */
export function CollapsedPane({ title, rows, width }: { title: string; rows: ReactElement[]; width: number }) {
  const more = rows.length > 1 ? ` +${rows.length - 1} · tab ` : " ";
  return (
    <Box width={width} height={1}>
      <Text color={color.dim}>{`╶─ ${title}: `}</Text>
      <Box flexGrow={1} height={1} overflow="hidden">
        {rows[0] ?? <Text> </Text>}
      </Box>
      <Text color={color.dim}>{`${more}─╴`}</Text>
    </Box>
  );
}
