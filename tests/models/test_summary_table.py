"""The boxed-table renderer behind ``Model.summary()`` (expected layouts worked out by hand)."""

from refkeras.models.summary_table import (
    Column,
    cell_len,
    column_widths,
    crop,
    render_table,
    wrap,
)


def test_column_widths_fit_without_reduction():
    # 2 columns of 5 and 6, plus 2 padding each = 15, plus 3 borders = 18.
    assert column_widths([Column("a", 5, "left"), Column("b", 6, "left")], 18) == [7, 8]


def test_column_widths_take_the_excess_evenly():
    # Room between borders: 76 - 4 = 72; asked 36 + 28 + 18 = 82; excess 10 is cut
    # as round(10/3)=3, round(7/2)=4 (ties to even), then 3.
    columns = [Column("a", 34, "left"), Column("b", 26, "left"), Column("c", 16, "right")]
    assert column_widths(columns, 76) == [33, 24, 15]


def test_wrap_breaks_at_spaces_and_justifies():
    assert wrap("a[0][0], b[0][0]", 10, "left", "ellipsis") == ["a[0][0],  ", "b[0][0]   "]
    assert wrap("12", 5, "right", "ellipsis") == ["   12"]
    assert wrap("Y", 5, "center", "ellipsis") == ["  Y  "]


def test_wrap_cuts_long_words_with_an_ellipsis_or_folds_them():
    assert wrap("Trainable", 5, "center", "ellipsis") == ["Trai…"]
    assert wrap("abcdefgh", 3, "default", "fold") == ["abc", "def", "gh"]


def test_render_table_draws_heavy_header_and_row_lines():
    lines = render_table([Column("A", 3, "left"), Column("B", 3, "right")],
                         [["x", "1"], ["y", "22"]], width=13)
    assert lines == [
        "┏━━━━━┳━━━━━┓",
        "┃ A   ┃   B ┃",
        "┡━━━━━╇━━━━━┩",
        "│ x   │   1 │",
        "├─────┼─────┤",
        "│ y   │  22 │",
        "└─────┴─────┘",
    ]


def test_header_cells_are_aligned_to_the_bottom():
    lines = render_table([Column("Layer (type)", 6, "left"), Column("T", 2, "left")],
                         [["a", "b"]], width=15)
    assert lines[1] == "┃ Layer  ┃    ┃"
    assert lines[2] == "┃ (type) ┃ T  ┃"


def test_crop_and_cell_len():
    assert crop("abcdef", 4) == "abcd"
    assert cell_len("└ x") == 3
    assert cell_len("日本") == 4
