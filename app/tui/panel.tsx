import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { colorDisabled, color } from "../format.js";

interface PanelProps {
  title: string;
  /** Shown at the right end of the top border: a scroll position, a count. */
  note?: string;
  width: number;
  height: number;
  focused?: boolean;
  /** Columns between the border and the text on each side (projector mode: 2). */
  padding?: number;
  children: ReactNode;
}

/**
 * A bordered pane with its title in the top border. The focused pane's border is coloured, or
 * drawn heavy when colour is off.
 */
export function Panel({ title, note, width, height, focused = false, padding = 1, children }: PanelProps) {
  const heavy = focused && colorDisabled();
  const [left, line, right] = heavy ? ["┏", "━", "┓"] : ["╭", "─", "╮"];
  const room = width - 4;
  const shownNote = note && note.length + 4 < room ? ` ${note} ` : "";
  const shownTitle = ellipsis(title, Math.max(room - shownNote.length - 3, 1));
  const fill = Math.max(width - shownTitle.length - shownNote.length - 6, 0);
  const borderColor = focused ? color.accent : color.dim;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text color={borderColor}>{`${left}${line} `}</Text>
        <Text bold={focused}>{shownTitle}</Text>
        <Text color={borderColor}>{` ${line.repeat(fill)}`}</Text>
        <Text color={color.dim}>{shownNote}</Text>
        <Text color={borderColor}>{`${line}${right}`}</Text>
      </Text>
      {/* Keyed by its style: Ink applies a changed borderStyle without the unchanged borderTop,
          which then draws as a blank row over the content. Clipped below only: Ink's text never
          runs wider than its box (it wraps or truncates), and cutting every line of every pane
          to the box's width on every frame was a fifth of each frame's time. */}
      <Box
        key={heavy ? "heavy" : "light"}
        borderStyle={heavy ? "bold" : "round"}
        borderTop={false}
        borderColor={borderColor}
        flexDirection="column"
        paddingX={padding}
        height={height - 1}
        overflowY="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}

/** Cuts plain text to `width` columns, marking the cut. */
export function ellipsis(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`;
}

/** A sentence's first letter in capitals: "step 3 passes" -> "Step 3 passes". */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
