package io.rankwise.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A rank pattern laid out as a grid: one row per layer, one column per matrix type, each cell the
 * number of surviving triplets. This is what the heat map draws and the report tabulates.
 *
 * <p>Rows are layers 0..N−1 (N = the highest layer index + 1, so a layer without adapters is an
 * empty row rather than a silent gap), followed by a row {@code other} only when some name has no
 * layer index. Columns are {@link ModuleName#TYPES} followed by {@code other} only when some name
 * matches none of them. Several adapters falling into one cell (only possible in {@code other}) add
 * up.
 */
public final class RankGrid {
    private final List<String> rows;
    private final List<String> columns;
    private final int[][] ranks;
    private final int[][] capacity;

    private RankGrid(List<String> rows, List<String> columns, int[][] ranks, int[][] capacity) {
        this.rows = rows;
        this.columns = columns;
        this.ranks = ranks;
        this.capacity = capacity;
    }

    /**
     * The grid of {@code pattern}: module name (as {@code <module>.lora_E}) → which triplets
     * survive.
     */
    public static RankGrid of(Map<String, boolean[]> pattern) {
        TreeSet<Integer> layers = new TreeSet<>();
        boolean otherColumn = false;
        for (String name : pattern.keySet()) {
            ModuleName m = ModuleName.parse(name);
            layers.add(m.layer());
            otherColumn |= m.type().equals(ModuleName.OTHER);
        }
        int n = layers.isEmpty() || layers.last() < 0 ? 0 : layers.last() + 1;
        boolean otherRow = layers.contains(-1);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Integer.toString(i));
        }
        if (otherRow) {
            rows.add(ModuleName.OTHER);
        }
        List<String> columns = new ArrayList<>(ModuleName.TYPES);
        if (otherColumn) {
            columns.add(ModuleName.OTHER);
        }
        int[][] ranks = new int[rows.size()][columns.size()];
        int[][] capacity = new int[rows.size()][columns.size()];
        for (Map.Entry<String, boolean[]> e : pattern.entrySet()) {
            ModuleName m = ModuleName.parse(e.getKey());
            int r = m.layer() < 0 ? n : m.layer();
            int c = columns.indexOf(m.type());
            ranks[r][c] += surviving(e.getValue());
            capacity[r][c] += e.getValue().length;
        }
        return new RankGrid(List.copyOf(rows), List.copyOf(columns), ranks, capacity);
    }

    /** Row labels: layer indices as text, then possibly {@code other}. */
    public List<String> rows() {
        return rows;
    }

    /** Column labels: matrix types, then possibly {@code other}. */
    public List<String> columns() {
        return columns;
    }

    /** Surviving rank in a cell (0 for a cell without adapters). */
    public int rank(int row, int column) {
        return ranks[row][column];
    }

    /** Whether any adapter falls into the cell; a cell without one is not the same as rank 0. */
    public boolean hasAdapter(int row, int column) {
        return capacity[row][column] > 0;
    }

    /** The largest rank a cell could hold: init_r for a plain AdaLoRA pattern. */
    public int maxRank() {
        int max = 0;
        for (int[] row : capacity) {
            for (int c : row) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    /** The total rank at the start: the sum of every adapter's init_r. */
    public int totalCapacity() {
        int sum = 0;
        for (int[] row : capacity) {
            for (int c : row) {
                sum += c;
            }
        }
        return sum;
    }

    /** The total surviving rank, which is what the allocator's budget counts. */
    public int totalRank() {
        int sum = 0;
        for (int[] row : ranks) {
            for (int r : row) {
                sum += r;
            }
        }
        return sum;
    }

    private static int surviving(boolean[] mask) {
        int k = 0;
        for (boolean b : mask) {
            if (b) {
                k++;
            }
        }
        return k;
    }
}
