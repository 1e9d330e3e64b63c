#include "pkg/ui/progress.h"

#include <gtest/gtest.h>

#include "pkg/ui/testing/fake_terminal.h"
#include "tests/unit/ui/fake_clock.h"
#include "tests/unit/ui/golden.h"

namespace {

using namespace std::chrono_literals;
const std::string kData = KU_UI_TESTDATA;

// The same story told to a terminal and to a log file.
void story(ui::Progress& p, ku_testing::FakeClock& clock) {
  p.begin("cp1", "kubeadm upgrade apply");
  clock.advance(75s);
  p.begin("w1", "drain");
  p.detail("w1", "evicted 3/10");
  p.detail("w1", "evicted 3/10");  // unchanged: not repeated
  clock.advance(5s);
  p.note("Warning: pod default/bare has no controller");
  p.step("cp1", "restart kubelet", "waiting for Ready");
  clock.advance(3700s);
  p.finish("cp1", true, "v1.36.2, Ready");
  p.finish("w1", false, "drain timed out: PDB default/web allows 0 disruptions");
}

TEST(Progress, PlainLinesWhenNotATty) {
  ui::testing::FakeTerminal term;
  auto clock = std::make_shared<ku_testing::FakeClock>();
  ui::Progress p(term, clock);
  story(p, *clock);
  EXPECT_EQ(term.stdout_text(), "");
  ku_testing::expect_golden(kData, "progress_plain.txt", term.stderr_text());
}

TEST(Progress, InPlaceLinesOnATty) {
  ui::testing::FakeTerminal term;
  term.err_tty = true;
  auto clock = std::make_shared<ku_testing::FakeClock>();
  ui::Progress p(term, clock);
  story(p, *clock);
  p.tick();
  EXPECT_EQ(term.stdout_text(), "");
  ku_testing::expect_golden(kData, "progress_tty.txt", term.stderr_text());
}

TEST(Progress, HostileItemNamesAreEscaped) {
  ui::testing::FakeTerminal term;
  auto clock = std::make_shared<ku_testing::FakeClock>();
  ui::Progress p(term, clock);
  p.begin("w1\x1b[2J", "drain");
  EXPECT_EQ(term.stderr_text().find('\x1b'), std::string::npos);
}

TEST(FormatElapsed, Cases) {
  EXPECT_EQ(ui::format_elapsed(0s), "0s");
  EXPECT_EQ(ui::format_elapsed(59s), "59s");
  EXPECT_EQ(ui::format_elapsed(62s), "1m02s");
  EXPECT_EQ(ui::format_elapsed(3720s), "1h02m");
}

}  // namespace
