#include "pkg/ui/prompt.h"

#include <algorithm>
#include <ostream>

namespace ui {

std::expected<Answer, std::string> confirm(Terminal& term, std::string_view question,
                                           bool assume_yes) {
  if (assume_yes) return Answer::kYes;
  if (!term.in_is_tty()) {
    return std::unexpected(
        "confirmation needed, but stdin is not a terminal: re-run with --yes to proceed "
        "without the question, or with --dry-run to see what would be done");
  }
  term.err() << question << " [y/N]: " << std::flush;
  const auto line = term.read_line();
  if (!line) {
    term.err() << '\n';
    return Answer::kNo;
  }
  std::string a = *line;
  std::erase_if(a, [](unsigned char c) { return std::isspace(c); });
  std::ranges::transform(a, a.begin(), [](unsigned char c) { return std::tolower(c); });
  return (a == "y" || a == "yes") ? Answer::kYes : Answer::kNo;
}

}  // namespace ui
