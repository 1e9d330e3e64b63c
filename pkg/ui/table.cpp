#include "pkg/ui/table.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace ui {
namespace {

constexpr size_t kPadding = 3;
constexpr std::string_view kNone = "<none>";

std::string upper(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string cell_text(std::string_view raw) {
  if (raw.empty()) return std::string(kNone);
  return escape_terminal(raw);
}

}  // namespace

std::string escape_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b) {
      out += "^[";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += '^';
      out += static_cast<char>(c + 0x40);
    } else if (c == 0x7f) {
      out += "^?";
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(text[i + 1]));
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

size_t display_width(std::string_view text) {
  return static_cast<size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out, const TableOptions& options) const {
  std::vector<size_t> shown;
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (!columns_[c].wide || options.wide) shown.push_back(c);
  }
  std::vector<std::vector<std::string>> lines;
  if (!options.no_headers) {
    std::vector<std::string> header;
    for (size_t c : shown) header.push_back(upper(columns_[c].header));
    lines.push_back(std::move(header));
  }
  for (const auto& row : rows_) {
    std::vector<std::string> line;
    for (size_t c : shown) line.push_back(cell_text(row[c]));
    lines.push_back(std::move(line));
  }
  std::vector<size_t> width(shown.size(), 0);
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
  }
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      out << line[i];
      if (i + 1 < line.size())
        out << std::string(width[i] + kPadding - display_width(line[i]), ' ');
    }
    out << '\n';
  }
}

std::string Table::render(const TableOptions& options) const {
  std::ostringstream s;
  print(s, options);
  return s.str();
}

}  // namespace ui
