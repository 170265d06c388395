package io.wayfinder.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rows of text in columns, each as wide as its widest cell, two spaces apart; the last column is not
 * padded. Columns are left-aligned unless {@link #alignRight} names them (numbers whose digits line up).
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> rightAligned = new HashSet<>();

    Table(String... header) {
        rows.add(header);
    }

    /** Right-aligns these columns (counted from 0). */
    Table alignRight(int... columns) {
        for (int column : columns) {
            rightAligned.add(column);
        }
        return this;
    }

    /** A row; a null or empty cell prints as "-". */
    Table row(Object... cells) {
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null || cells[i].toString().isEmpty() ? "-" : cells[i].toString();
        }
        rows.add(text);
        return this;
    }

    /** The lines, each with {@code indent} before it. */
    String render(String indent) {
        int columns = 0;
        for (String[] row : rows) {
            columns = Math.max(columns, row.length);
        }
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(widths[i] - row[i].length());
                if (rightAligned.contains(i)) {
                    line.append(pad).append(row[i]);
                } else {
                    line.append(row[i]).append(i < row.length - 1 ? pad : "");
                }
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render("");
    }
}
