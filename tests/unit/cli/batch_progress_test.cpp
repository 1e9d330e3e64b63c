#include "cmd/kubectl-upgrade/batch_progress.h"

#include <gtest/gtest.h>

#include "pkg/ui/testing/fake_terminal.h"

namespace cli {
namespace {

using upgrade::StepId;
using upgrade::StepUpdate;
using upgrade::UpdateKind;

upgrade::NodeResult upgraded(const std::string& node) {
  upgrade::NodeResult r;
  r.node = node;
  r.outcome = upgrade::NodeOutcome::kUpgraded;
  r.from = "v1.35.2";
  r.to = "v1.36.7";
  r.pods_evicted = 3;
  return r;
}

TEST(BatchProgress, OnATerminalEachNodeOfTheBatchHasOneLiveLine) {
  ui::testing::FakeTerminal term;
  term.err_tty = true;
  std::mutex mu;
  BatchProgress p(term, mu, std::chrono::milliseconds(0));
  ASSERT_TRUE(p.live());
  p.note("== hop to v1.36.7");
  p.begin_batch({"w1", "w2"});
  auto sink = p.sink();
  sink(StepUpdate{"w1", StepId::kDrain, UpdateKind::kStarted, "", {}});
  sink(StepUpdate{"w2", StepId::kRepo, UpdateKind::kSkipped, "already on v1.36", {}});
  sink(StepUpdate{"w1", StepId::kDrain, UpdateKind::kWaiting, "evicted 1/2", {}});
  p.finish(upgraded("w2"));
  std::string text = term.stderr_text();
  EXPECT_EQ(text.find("== hop to v1.36.7\n"), 0u) << text;
  // The last frame: two lines, redrawn in place (cursor up two lines first).
  auto last = text.rfind("\x1b[2A");
  ASSERT_NE(last, std::string::npos) << text;
  std::string frame = text.substr(last);
  EXPECT_NE(frame.find("w1   5/9 drain: evicted 1/2"), std::string::npos) << frame;
  EXPECT_NE(frame.find("ok w2   upgraded to v1.36.7, 3 pod(s) evicted"), std::string::npos)
      << frame;
  EXPECT_EQ(std::count(frame.begin(), frame.end(), '\n'), 2);
}

TEST(BatchProgress, WithoutATerminalEveryUpdateIsATimestampedLine) {
  ui::testing::FakeTerminal term;
  std::mutex mu;
  BatchProgress p(term, mu);
  EXPECT_FALSE(p.live());
  p.begin_batch({"w1"});
  p.sink()(StepUpdate{"w1", StepId::kDrain, UpdateKind::kStarted, "", std::chrono::seconds(65)});
  p.finish(upgraded("w1"));
  std::string text = term.stderr_text();
  EXPECT_EQ(text.find("\x1b["), std::string::npos) << "no escape sequences off a terminal";
  EXPECT_NE(text.find("Z [  1m05s] w1 5/9 drain: started\n"), std::string::npos) << text;
  EXPECT_NE(text.find("node w1 upgraded from v1.35.2 to v1.36.7"), std::string::npos) << text;
}

TEST(BatchProgress, FinishedTextSaysHowANodeEnded) {
  upgrade::NodeResult r = upgraded("w1");
  EXPECT_EQ(finished_text(r), "upgraded to v1.36.7, 3 pod(s) evicted");
  r.outcome = upgrade::NodeOutcome::kFailed;
  r.step = StepId::kKubeletRestart;
  r.error = "kubelet on w1 did not come back";
  EXPECT_EQ(finished_text(r), "stopped at 7-kubelet-restart: kubelet on w1 did not come back");
  r.outcome = upgrade::NodeOutcome::kAlreadyDone;
  EXPECT_EQ(finished_text(r), "already at v1.36.7");
}

}  // namespace
}  // namespace cli
