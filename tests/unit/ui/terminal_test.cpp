#include "pkg/ui/terminal.h"

#include <gtest/gtest.h>

#include "pkg/ui/colour.h"
#include "pkg/ui/prompt.h"
#include "pkg/ui/testing/fake_terminal.h"

namespace {

TEST(Colour, OnlyOnATtyWithoutNoColorAndNotDumb) {
  struct Case {
    std::string name;
    ui::ColourInputs in;
    bool want;
  };
  const std::vector<Case> cases = {
      {"tty with xterm", {true, "xterm-256color", std::nullopt}, true},
      {"tty without TERM", {true, std::nullopt, std::nullopt}, true},
      {"not a tty", {false, "xterm", std::nullopt}, false},
      {"TERM=dumb", {true, "dumb", std::nullopt}, false},
      {"NO_COLOR=1", {true, "xterm", "1"}, false},
      {"NO_COLOR present but empty still disables", {true, "xterm", ""}, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ui::colour_enabled(c.in), c.want);
  }
}

TEST(Colour, PaintOnlyWhenEnabled) {
  EXPECT_EQ(ui::paint("x", ui::Colour::kRed, false), "x");
  EXPECT_EQ(ui::paint("x", ui::Colour::kRed, true), "\x1b[31mx\x1b[0m");
}

TEST(Prompt, YesFlagSkipsTheQuestion) {
  ui::testing::FakeTerminal term;  // not a TTY: would fail without --yes
  auto a = ui::confirm(term, "Upgrade node w1?", true);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a, ui::Answer::kYes);
  EXPECT_EQ(term.stderr_text(), "");
}

TEST(Prompt, NoTtyAndNoYesFailsAtOnceWithoutReading) {
  ui::testing::FakeTerminal term;
  term.input = {"y"};
  auto a = ui::confirm(term, "Upgrade node w1?", false);
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().find("--yes"), std::string::npos);
  EXPECT_EQ(term.input.size(), 1u) << "must not read stdin";
  EXPECT_EQ(term.stderr_text(), "");
}

TEST(Prompt, Answers) {
  struct Case {
    std::string name;
    std::deque<std::string> input;
    ui::Answer want;
  };
  const std::vector<Case> cases = {
      {"y confirms", {"y"}, ui::Answer::kYes},
      {"YES confirms", {"YES"}, ui::Answer::kYes},
      {"spaces around y", {"  y "}, ui::Answer::kYes},
      {"empty line declines (default N)", {""}, ui::Answer::kNo},
      {"n declines", {"n"}, ui::Answer::kNo},
      {"anything else declines", {"sure"}, ui::Answer::kNo},
      {"end of input declines", {}, ui::Answer::kNo},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ui::testing::FakeTerminal term;
    term.in_tty = true;
    term.input = c.input;
    auto a = ui::confirm(term, "Upgrade node w1?", false);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(*a, c.want);
    EXPECT_TRUE(term.stderr_text().starts_with("Upgrade node w1? [y/N]: "));
    EXPECT_EQ(term.stdout_text(), "") << "prompts never go to stdout";
  }
}

}  // namespace
