#pragma once

// Multi-row statements: one `INSERT ... VALUES (...), (...), ...` (or `FROM (VALUES ...)`) for many rows instead of a
// statement per row, for the writes that come by the hundred per transaction (the bedside-monitor feed's group commit,
// issue 13 §5). Rows go in chunks whose sizes come from a fixed set, the powers of two up to kMaxRowsPerStatement, so
// that a statement has a few texts (each prepared once and cached by SQLite's connection) rather than one per batch
// size; the largest chunk binds 64 x 24 parameters, far below SQLite's limit of 32,766 and PostgreSQL's of 65,535.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kclinic::adapters::storage::sql {

inline constexpr std::size_t kMaxRowsPerStatement = 64;

// The chunk sizes `rows` rows go in, in order: as many kMaxRowsPerStatement as fit, then the powers of two of the
// rest, largest first (100 rows: 64, 32, 4).
[[nodiscard]] inline std::vector<std::size_t> RowChunks(std::size_t rows) {
    std::vector<std::size_t> chunks(rows / kMaxRowsPerStatement, kMaxRowsPerStatement);
    for (std::size_t size = kMaxRowsPerStatement / 2; size > 0; size /= 2) {
        if (((rows % kMaxRowsPerStatement) & size) != 0) {
            chunks.push_back(size);
        }
    }
    return chunks;
}

// A statement `head` + "($1, ..., $c), ($c+1, ...), ..." + `tail` for each chunk size, built once: `columns`
// parameters a row, numbered row after row.
class MultiRowStatement {
public:
    MultiRowStatement(std::string_view head, std::size_t columns, std::string_view tail) {
        std::size_t index = 0;
        for (std::size_t rows = 1; rows <= kMaxRowsPerStatement; rows *= 2, ++index) {
            std::string& text = texts_.at(index);
            text = head;
            for (std::size_t row = 0; row < rows; ++row) {
                text += row == 0 ? "(" : ", (";
                for (std::size_t column = 1; column <= columns; ++column) {
                    text += (column == 1 ? "$" : ", $") + std::to_string(row * columns + column);
                }
                text += ")";
            }
            text += tail;
        }
    }

    // The text for `rows` rows. REQUIRES: `rows` is one of RowChunks' sizes.
    [[nodiscard]] const std::string& Text(std::size_t rows) const {
        std::size_t index = 0;
        while ((std::size_t{1} << index) < rows) {
            ++index;
        }
        return texts_.at(index);
    }

private:
    static constexpr std::size_t kSizes = 7;  // 1, 2, 4, ... 64
    static_assert(std::size_t{1} << (kSizes - 1) == kMaxRowsPerStatement);
    std::array<std::string, kSizes> texts_;
};

}  // namespace kclinic::adapters::storage::sql
