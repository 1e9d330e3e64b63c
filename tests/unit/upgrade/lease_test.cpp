#include "pkg/upgrade/lease.h"

#include <gtest/gtest.h>

#include "pkg/kube/paths.h"
#include "pkg/kube/testing/fake_client.h"
#include "pkg/upgrade/record.h"
#include "pkg/upgrade/timefmt.h"

namespace upgrade {
namespace {

const std::string kPath = kube::paths::lease("kube-system", "kubectl-upgrade");

TEST(Lease, TakesAFreeLockAndRefusesASecondUpgraderNamingTheHolder) {
  kube::testing::FakeClient fake;
  ku::testing::FakeClock clock;
  ClusterLock a(fake, clock, {.identity = "alice@laptop pid 1"});
  ASSERT_TRUE(a.acquire("upgrade node w1"));
  auto lease = *fake.object(kPath);
  EXPECT_EQ(lease["spec"]["holderIdentity"], "alice@laptop pid 1");
  EXPECT_EQ(lease["spec"]["leaseDurationSeconds"], 120);
  EXPECT_EQ(lease["metadata"]["annotations"][kLockCommandKey], "upgrade node w1");

  ClusterLock b(fake, clock, {.identity = "bob@ci pid 2"});
  auto refused = b.acquire("upgrade cluster");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("alice@laptop pid 1 running `upgrade node w1`, since "),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().hint.find("kubectl -n kube-system delete lease kubectl-upgrade"),
            std::string::npos);

  auto holder = read_lock(fake, clock);
  ASSERT_TRUE(holder && *holder);
  EXPECT_EQ((*holder)->identity, "alice@laptop pid 1");

  ASSERT_TRUE(a.release());
  EXPECT_FALSE((*fake.object(kPath))["spec"].contains("holderIdentity"));
  EXPECT_TRUE(b.acquire("upgrade cluster"));
  EXPECT_EQ((*fake.object(kPath))["spec"]["leaseTransitions"], 1);
}

TEST(Lease, AnExpiredHolderIsTakenOverAndLearnsItLostTheLock) {
  kube::testing::FakeClient fake;
  ku::testing::FakeClock clock;
  ClusterLock a(fake, clock, {.identity = "a"});
  ASSERT_TRUE(a.acquire("x"));
  clock.advance(std::chrono::seconds(121));
  ClusterLock b(fake, clock, {.identity = "b"});
  ASSERT_TRUE(b.acquire("y"));
  EXPECT_FALSE(a.renew());
  EXPECT_TRUE(a.lost());
  EXPECT_TRUE(b.renew());
}

TEST(Lease, RenewMovesRenewTime) {
  kube::testing::FakeClient fake;
  ku::testing::FakeClock clock;
  ClusterLock a(fake, clock, {.identity = "a"});
  ASSERT_TRUE(a.acquire("x"));
  std::string before = (*fake.object(kPath))["spec"]["renewTime"];
  clock.advance(std::chrono::seconds(20));
  ASSERT_TRUE(a.renew());
  std::string after = (*fake.object(kPath))["spec"]["renewTime"];
  EXPECT_LT(before, after);
  EXPECT_EQ(after, rfc3339_micro(clock.wall()));
}

TEST(Record, ResumePointAndLabels) {
  EXPECT_EQ(step_label(StepId::kDrain), "5-drain");
  EXPECT_EQ(parse_step("7-kubelet-restart"), StepId::kKubeletRestart);
  EXPECT_FALSE(parse_step("7-drain").has_value());
  NodeRecord r{.target = "v1.36.0", .step = StepId::kDrain, .state = "failed"};
  EXPECT_EQ(r.resume_from("v1.36.0"), 5);
  r.state = "done";
  EXPECT_EQ(r.resume_from("v1.36.0"), 6);
  EXPECT_EQ(r.resume_from("v1.37.0"), 0);
}

}  // namespace
}  // namespace upgrade

namespace upgrade {
namespace {

// An identity of this host whose pid cannot exist (2^22+1 is above Linux's pid_max limit).
std::string dead_process_on_this_host() {
  std::string me = default_identity();
  std::string host = me.substr(me.find('@') + 1, me.find(" pid ") - me.find('@') - 1);
  return "root@" + host + " pid 4194305";
}

TEST(Lease, AHolderOnThisHostWhoseProcessIsGoneIsTakenOver) {
  kube::testing::FakeClient fake;
  ku::testing::FakeClock clock;
  ClusterLock dead(fake, clock, {.identity = dead_process_on_this_host()});
  ASSERT_TRUE(dead.acquire("upgrade node w1"));
  ClusterLock again(fake, clock, {});
  EXPECT_TRUE(again.acquire("upgrade node w1"));
  // A holder elsewhere (or alive) is still refused.
  ClusterLock other(fake, clock, {.identity = "bob@elsewhere pid 1"});
  EXPECT_FALSE(other.acquire("x"));
}

TEST(Lease, StatusSeesAKilledHolderAndHowTheLastRunEnded) {
  kube::testing::FakeClient fake;
  ku::testing::FakeClock clock;
  ClusterLock dead(fake, clock, {.identity = dead_process_on_this_host()});
  ASSERT_TRUE(dead.acquire("upgrade cluster --to v1.36.7"));
  auto state = read_lock_state(fake, clock);
  ASSERT_TRUE(state && state->holder);
  EXPECT_TRUE(state->holder->process_gone);
  EXPECT_FALSE(state->holder->expired);
  EXPECT_FALSE(state->last_run);

  ClusterLock run(fake, clock, {});  // this process: it takes over the dead holder's lock
  ASSERT_TRUE(run.acquire("upgrade cluster --to v1.36.7 --force"));
  ASSERT_TRUE(run.release("stopped at node w2, step 5-drain: eviction failed"));
  state = read_lock_state(fake, clock);
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->holder);
  ASSERT_TRUE(state->last_run);
  EXPECT_EQ(state->last_run->identity, default_identity());
  EXPECT_EQ(state->last_run->command, "upgrade cluster --to v1.36.7 --force");
  EXPECT_EQ(state->last_run->outcome, "stopped at node w2, step 5-drain: eviction failed");
  // The next run starts with a clean slate: no outcome while it holds the lock.
  ASSERT_TRUE(run.acquire("upgrade node w2 --to v1.36.7"));
  EXPECT_FALSE((*fake.object(kPath))["metadata"]["annotations"].contains(kLockOutcomeKey));
}

}  // namespace
}  // namespace upgrade
