#include "pkg/ui/progress.h"

#include <algorithm>
#include <ostream>

#include "pkg/ui/colour.h"
#include "pkg/ui/table.h"

namespace ui {
namespace {

constexpr const char* kSpinner[] = {"-", "\\", "|", "/"};

}  // namespace

Progress::Progress(Terminal& term, std::shared_ptr<Clock> clock)
    : term_(term), clock_(std::move(clock)), live_(term.err_is_tty()) {}

Progress::~Progress() = default;

Progress::Item* Progress::find(const std::string& name) {
  const auto it = std::ranges::find(items_, name, &Item::name);
  return it == items_.end() ? nullptr : &*it;
}

std::string Progress::live_line(const Item& item, std::chrono::steady_clock::time_point now) const {
  size_t name_width = 0;
  for (const auto& i : items_) name_width = std::max(name_width, display_width(i.name));
  const bool colour = term_.err_colour();
  std::string mark;
  switch (item.state) {
    case Item::State::kRunning:
      mark = kSpinner[frame_ % 4];
      break;
    case Item::State::kDone:
      mark = paint("ok", Colour::kGreen, colour);
      break;
    case Item::State::kFailed:
      mark = paint("!!", Colour::kRed, colour);
      break;
  }
  const auto end = item.state == Item::State::kRunning ? now : item.ended;
  std::string line =
      mark + (item.state == Item::State::kRunning ? "  " : " ") + escape_terminal(item.name) +
      std::string(name_width - display_width(item.name) + 3, ' ') + escape_terminal(item.step);
  if (!item.detail.empty()) line += ": " + escape_terminal(item.detail);
  line += "   " + paint(format_elapsed(end - item.started), Colour::kFaint, colour);
  const int width = term_.width();
  if (width > 0 && !colour && display_width(line) > static_cast<size_t>(width)) {
    line.resize(static_cast<size_t>(width));  // never wrap: wrapping breaks the redraw
  }
  return line;
}

void Progress::plain_line(const Item& item, const std::string& text) {
  term_.err() << format_timestamp(clock_->wall_now()) << ' ' << escape_terminal(item.name) << ": "
              << escape_terminal(text) << " (" << format_elapsed(clock_->now() - item.started)
              << ")\n";
}

void Progress::redraw() {
  auto& err = term_.err();
  if (drawn_lines_ > 0) err << "\x1b[" << drawn_lines_ << "A";
  const auto now = clock_->now();
  for (const auto& item : items_) err << "\r\x1b[2K" << live_line(item, now) << '\n';
  drawn_lines_ = items_.size();
  err << std::flush;
}

void Progress::begin(const std::string& item, const std::string& step) {
  std::lock_guard lock(mu_);
  const auto now = clock_->now();
  if (Item* existing = find(item)) {
    *existing = Item{item, step, "", now, now};
  } else {
    items_.push_back(Item{item, step, "", now, now});
  }
  if (live_) return redraw();
  plain_line(*find(item), step);
}

void Progress::step(const std::string& item, const std::string& step, const std::string& detail) {
  std::lock_guard lock(mu_);
  Item* i = find(item);
  if (!i) return;
  i->step = step;
  i->detail = detail;
  if (live_) return redraw();
  plain_line(*i, detail.empty() ? step : step + ": " + detail);
}

void Progress::detail(const std::string& item, const std::string& detail) {
  std::lock_guard lock(mu_);
  Item* i = find(item);
  if (!i || i->detail == detail) return;
  i->detail = detail;
  if (live_) return redraw();
  plain_line(*i, i->step + ": " + detail);
}

void Progress::finish(const std::string& item, bool ok, const std::string& message) {
  std::lock_guard lock(mu_);
  Item* i = find(item);
  if (!i) return;
  i->state = ok ? Item::State::kDone : Item::State::kFailed;
  i->ended = clock_->now();
  i->step = message;
  i->detail.clear();
  if (live_) return redraw();
  plain_line(*i, (ok ? "done: " : "failed: ") + message);
}

void Progress::note(const std::string& text) {
  std::lock_guard lock(mu_);
  auto& err = term_.err();
  if (!live_) {
    err << format_timestamp(clock_->wall_now()) << ' ' << escape_terminal(text) << '\n';
    return;
  }
  // Clear the live block, print the note, draw the block again below it.
  if (drawn_lines_ > 0) err << "\x1b[" << drawn_lines_ << "A\r\x1b[J";
  drawn_lines_ = 0;
  err << escape_terminal(text) << '\n';
  redraw();
}

void Progress::tick() {
  std::lock_guard lock(mu_);
  if (!live_) return;
  ++frame_;
  redraw();
}

}  // namespace ui
