// Tables like `kubectl get`: UPPERCASE headers, left-aligned columns three spaces apart, `<none>`
// for an empty cell, extra columns only with -o wide, --no-headers, and terminal control
// characters in cells escaped so a hostile name cannot move the cursor or recolour the screen.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

struct Column {
  std::string header;  // printed in UPPERCASE
  bool wide = false;   // only with -o wide
};

struct TableOptions {
  bool wide = false;
  bool no_headers = false;
};

class Table {
 public:
  explicit Table(std::vector<Column> columns);
  // One cell per column (wide ones included); missing cells count as empty.
  void add_row(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  void print(std::ostream& out, const TableOptions& options = {}) const;
  std::string render(const TableOptions& options = {}) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Control characters made visible: ESC -> "^[", CR -> "\r", LF -> "\n", TAB -> "\t",
// other C0 and DEL in caret notation ("^G", "^?"), C1 code points as "\u0085".
std::string escape_terminal(std::string_view text);
// Display width in code points (UTF-8), as Go's tabwriter counts.
size_t display_width(std::string_view text);

}  // namespace ui
