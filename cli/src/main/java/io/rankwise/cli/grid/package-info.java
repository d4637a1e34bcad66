/**
 * An ablation grid as cells that any grid executor can run: {@link
 * io.rankwise.cli.grid.AblationGrid} (the grid in its folder: its cells, which finished before,
 * running the rest), {@link io.rankwise.cli.grid.CellJob} (what one cell is, shipped to wherever it
 * runs), {@link io.rankwise.cli.grid.CellRun} (what it computes there: a run folder and its {@code
 * cell.json}), {@link io.rankwise.cli.grid.CellRecord} (what comes back, and what {@code --resume}
 * reads instead of running a finished cell again) and {@link io.rankwise.cli.grid.GridProgress}
 * (cells done, and where, on the terminal).
 */
package io.rankwise.cli.grid;
