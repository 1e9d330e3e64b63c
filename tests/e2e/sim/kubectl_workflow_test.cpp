// The real kubectl against kube-sim: what an operator does around an upgrade (describe, cordon,
// drain with PDBs, uncordon, events, watch, logs, patch, delete), asserted on kubectl's output
// and on the cluster's state afterwards.
#include <gtest/gtest.h>

#include <thread>

#include "tests/e2e/harness/sim_cluster.h"

namespace {

using e2e::SimCluster;
using json = nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<json> pods_on(const SimCluster& c, const std::string& node) {
  return c.list("pods", {"-A", "--field-selector", "spec.nodeName=" + node});
}

bool daemonset_pod(const json& pod) {
  for (const auto& o : pod["metadata"].value("ownerReferences", json::array())) {
    if (o.value("kind", "") == "DaemonSet") return true;
  }
  return false;
}

TEST(KubectlWorkflow, GetPodsAllNamespacesShowsARunningCluster) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"get", "pods", "-A"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_TRUE(contains(
      r.out, "NAMESPACE     NAME                          READY   STATUS    RESTARTS   AGE"))
      << r.out;
  for (const char* name :
       {"kube-apiserver-cp1", "etcd-cp3", "kube-scheduler-cp2", "kube-controller-manager-cp1",
        "coredns-", "kube-proxy-", "node-exporter-", "web-", "scratchpad"}) {
    EXPECT_TRUE(contains(r.out, name)) << name << " missing:\n" << r.out;
  }
  EXPECT_FALSE(contains(r.out, "Pending")) << r.out;
  auto apiserver = c.get("pod", "kube-apiserver-cp1", "kube-system");
  EXPECT_EQ(apiserver["spec"]["containers"][0].value("image", ""),
            "registry.k8s.io/kube-apiserver:v1.35.2");
  EXPECT_TRUE(apiserver["metadata"]["annotations"].contains("kubernetes.io/config.mirror"));
  EXPECT_EQ(apiserver["metadata"]["labels"].value("tier", ""), "control-plane");
}

TEST(KubectlWorkflow, DescribeNodeListsItsPodsLeaseAndEvents) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"describe", "node", "w2"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_TRUE(contains(r.out, "Name:               w2")) << r.out;
  EXPECT_TRUE(contains(r.out, "HolderIdentity:  w2")) << r.out;
  EXPECT_TRUE(contains(r.out, "Kubelet Version:            v1.35.2")) << r.out;
  EXPECT_TRUE(contains(r.out, "Non-terminated Pods:")) << r.out;
  EXPECT_TRUE(contains(r.out, "scratchpad")) << r.out;
  EXPECT_TRUE(contains(r.out, "RegisteredNode")) << r.out;
}

TEST(KubectlWorkflow, CordonThenUncordonFlipsSchedulingAndTheTaint) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"cordon", "w1"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out, "node/w1 cordoned\n");
  EXPECT_TRUE(contains(c.kubectl({"get", "node", "w1"}).out, "Ready,SchedulingDisabled"));
  EXPECT_TRUE(SimCluster::eventually([&] {
    return contains(c.get("node", "w1")["spec"].value("taints", json::array()).dump(),
                    "node.kubernetes.io/unschedulable");
  }));
  r = c.kubectl({"uncordon", "w1"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out, "node/w1 uncordoned\n");
  auto node = c.get("node", "w1");
  EXPECT_FALSE(node["spec"].value("unschedulable", false));
  EXPECT_TRUE(SimCluster::eventually([&] {
    return !contains(c.get("node", "w1")["spec"].value("taints", json::array()).dump(),
                     "unschedulable");
  }));
}

TEST(KubectlWorkflow, DrainOfAWorkerEvictsWithinThePdbAndPodsComeBackElsewhere) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  // w4 holds two of web's four pods (PDB minAvailable 3) and a cache pod with emptyDir data.
  auto r =
      c.kubectl({"drain", "w4", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"},
                {.timeout = std::chrono::seconds(90)});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_TRUE(contains(r.out, "node/w4 cordoned")) << r.out;
  EXPECT_TRUE(contains(r.out, "node/w4 drained")) << r.out;
  EXPECT_TRUE(contains(r.err, "Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-"))
      << r.err;
  for (const auto& pod : pods_on(c, "w4")) {
    EXPECT_TRUE(daemonset_pod(pod)) << pod["metadata"].value("name", "") << " is still on w4";
  }
  EXPECT_TRUE(SimCluster::eventually([&] {
    int running = 0;
    for (const auto& p : c.list("pods", {"-n", "shop", "-l", "app=web"})) {
      bool ok = p["status"].value("phase", "") == "Running" &&
                p["spec"].value("nodeName", "") != "w4" &&
                !p["metadata"].contains("deletionTimestamp");
      running += ok ? 1 : 0;
    }
    return running == 4;
  }));
  EXPECT_EQ(c.get("node", "w4")["spec"].value("unschedulable", false), true);
}

TEST(KubectlWorkflow, DrainRefusesABarePodWithoutForce) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r =
      c.kubectl({"drain", "w3", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s"});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_TRUE(contains(r.err,
                       "cannot delete Pods that declare no controller (use --force to override): "
                       "default/debug-shell"))
      << r.err;
  EXPECT_FALSE(c.get("pod", "debug-shell", "default").is_null());
}

TEST(KubectlWorkflow, APdbThatNeverAllowsMakesDrainTimeOut) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml", {.scenario_suffix = "faults:\n  pdbNeverAllows: [shop/web]\n"});
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r =
      c.kubectl({"drain", "w4", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=7s"},
                {.timeout = std::chrono::seconds(60)});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_TRUE(contains(r.err, "Cannot evict pod as it would violate the pod's disruption budget."))
      << r.err;
  EXPECT_TRUE(contains(r.err, "global timeout reached")) << r.err;
  int web_on_w4 = 0;
  for (const auto& p : pods_on(c, "w4"))
    web_on_w4 += p["metadata"]["labels"].value("app", "") == "web" ? 1 : 0;
  EXPECT_EQ(web_on_w4, 2);
}

TEST(KubectlWorkflow, EvictionErrorsFromTheFaultEndpointFailTheDrain) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto faults = c.admin_post("/sim/faults", {{"evictionErrors", {"pdb:shop/web"}}});
  ASSERT_EQ(faults["evictionErrors"], json::array({"pdb:shop/web"})) << faults.dump();
  auto r =
      c.kubectl({"drain", "w4", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s"},
                {.timeout = std::chrono::seconds(60)});
  EXPECT_EQ(r.exit_code, 1) << r.output();
  EXPECT_TRUE(contains(r.err, "Internal error occurred: kube-sim fault injection")) << r.err;
}

TEST(KubectlWorkflow, GetEventsShowsTheDrain) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  std::string web_node =
      c.list("pods", {"-n", "shop", "-l", "app=web"})[0]["spec"].value("nodeName", "");
  auto d = c.kubectl({"drain", web_node, "--ignore-daemonsets", "--timeout=30s"},
                     {.timeout = std::chrono::seconds(60)});
  ASSERT_EQ(d.exit_code, 0) << d.output();
  EXPECT_TRUE(SimCluster::eventually([&] {
    auto r = c.kubectl({"get", "events", "-n", "shop"});
    return contains(r.out, "Killing") && contains(r.out, "Scheduled") &&
           contains(r.out, "SuccessfulCreate");
  })) << c.kubectl({"get", "events", "-n", "shop"}).out;
  auto nodes = c.kubectl({"get", "events", "-n", "default", "--field-selector",
                          "involvedObject.kind=Node,involvedObject.name=" + web_node});
  EXPECT_TRUE(contains(nodes.out, "NodeNotSchedulable")) << nodes.out;
}

TEST(KubectlWorkflow, WatchSeesAPodGoAway) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  std::string pod =
      c.list("pods", {"-n", "shop", "-l", "app=web"})[0]["metadata"].value("name", "");
  auto watch = c.start({"kubectl", "get", "pods", "-n", "shop", "-w"});
  ASSERT_TRUE(watch->wait_for_output(pod, std::chrono::seconds(20))) << watch->err();
  auto del = c.kubectl({"delete", "pod", pod, "-n", "shop", "--wait=false"});
  ASSERT_EQ(del.exit_code, 0) << del.output();
  EXPECT_TRUE(watch->wait_for_output("Terminating", std::chrono::seconds(20))) << watch->out();
  auto out = watch->stop(SIGTERM);
  EXPECT_TRUE(contains(out.out, "NAME")) << out.out;
}

TEST(KubectlWorkflow, LogsShowWhatTheContainerPrinted) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  std::string pod =
      c.list("pods", {"-n", "shop", "-l", "app=web"})[0]["metadata"].value("name", "");
  auto r = c.kubectl({"logs", "-n", "shop", pod});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out,
            "/docker-entrypoint.sh: Configuration complete; ready for start up\n2026/11/26 "
            "09:00:00 [notice] 1#1: nginx/1.27.3\n");
  auto ts = c.kubectl({"logs", "-n", "shop", pod, "--timestamps", "--tail=1"});
  EXPECT_TRUE(contains(ts.out, "Z 2026/11/26 09:00:00 [notice] 1#1: nginx/1.27.3")) << ts.out;
  auto missing = c.kubectl({"logs", "-n", "shop", "nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(
      missing.err,
      "error: error from server (NotFound): pods \"nope\" not found in namespace \"shop\""))
      << missing.err;
}

TEST(KubectlWorkflow, PatchKindsChangeTheNode) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"patch", "node", "w2", "-p", R"({"metadata":{"labels":{"disk":"ssd"}}})"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out, "node/w2 patched\n");
  EXPECT_EQ(
      c.kubectl({"patch", "node", "w2", "-p", R"({"metadata":{"labels":{"disk":"ssd"}}})"}).out,
      "node/w2 patched (no change)\n");
  r = c.kubectl({"patch", "node", "w2", "--type=merge", "-p",
                 R"({"metadata":{"annotations":{"team":"infra"}}})"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  r = c.kubectl({"patch", "node", "w2", "--type=json", "-p",
                 R"([{"op":"remove","path":"/metadata/labels/disk"}])"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  auto node = c.get("node", "w2");
  EXPECT_FALSE(node["metadata"]["labels"].contains("disk"));
  EXPECT_EQ(node["metadata"]["annotations"].value("team", ""), "infra");
  auto bad = c.kubectl({"patch", "node", "w2", "--type=json", "-p",
                        R"([{"op":"remove","path":"/metadata/labels/absent"}])"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "The Node \"w2\" is invalid: patch: Invalid value")) << bad.err;
  r = c.kubectl({"taint", "node", "w2", "dedicated=gpu:NoSchedule"});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_TRUE(contains(c.get("node", "w2")["spec"]["taints"].dump(), "dedicated"));
}

TEST(KubectlWorkflow, DeleteWaitsUntilThePodIsGone) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("ha.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  auto r = c.kubectl({"delete", "pod", "scratchpad", "-n", "default"},
                     {.timeout = std::chrono::seconds(60)});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out, "pod \"scratchpad\" deleted\n");
  auto gone = c.kubectl({"get", "pod", "scratchpad"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_TRUE(contains(gone.err, "Error from server (NotFound): pods \"scratchpad\" not found"))
      << gone.err;
}

TEST(KubectlWorkflow, ApplyCreatesAPodThatRunsAndAnUnknownFieldIsRefused) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  std::string pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n  - name: "
      "hello\n    image: busybox:1.37\n";
  auto r = c.kubectl({"apply", "-f", "-"}, {.stdin_data = pod});
  ASSERT_EQ(r.exit_code, 0) << r.output();
  EXPECT_EQ(r.out, "pod/hello created\n");
  EXPECT_TRUE(SimCluster::eventually(
      [&] { return c.get("pod", "hello")["status"].value("phase", "") == "Running"; }));
  auto bad = c.kubectl({"apply", "-f", "-"}, {.stdin_data = pod + "  nodeNmae: w1\n"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output();
  EXPECT_TRUE(contains(bad.err, "unknown field \"spec.nodeNmae\"")) << bad.err;
}

TEST(KubectlWorkflow, AnUnschedulablePodStaysPendingWithTheSchedulersReason) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  std::string pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: huge\n  "
      "  image: busybox:1.37\n    resources:\n      requests:\n        cpu: \"64\"\n";
  ASSERT_EQ(c.kubectl({"apply", "-f", "-"}, {.stdin_data = pod}).exit_code, 0);
  std::string want =
      "0/3 nodes are available: 1 node(s) had untolerated taint "
      "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are "
      "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for "
      "incoming pod.";
  EXPECT_TRUE(SimCluster::eventually([&] {
    return contains(c.kubectl({"get", "events", "--field-selector", "reason=FailedScheduling"}).out,
                    want);
  })) << c.kubectl({"get", "events"}).out;
  EXPECT_EQ(c.get("pod", "huge")["status"].value("phase", ""), "Pending");
}

TEST(KubeSimApi, AnOutageRefusesThenAnswers503ThenRecovers) {
  SKIP_WITHOUT_KUBECTL();
  SimCluster c("single-cp.yaml");
  ASSERT_TRUE(c.ready()) << c.start_error();
  // timeScale 0.05: 60 scenario seconds refused = 3 s, then 60 s of 503 = 3 s.
  c.admin_post("/sim/faults",
               {{"apiOutage", {{"refusedSeconds", 60}, {"unavailableSeconds", 60}}}});
  EXPECT_TRUE(SimCluster::eventually(
      [&] {
        return contains(c.kubectl({"get", "nodes"}).err,
                        "was refused - did you specify the right host or port?");
      },
      std::chrono::seconds(3)));
  EXPECT_TRUE(SimCluster::eventually(
      [&] {
        return contains(c.kubectl({"get", "--raw", "/api/v1/nodes"}).err, "ServiceUnavailable");
      },
      std::chrono::seconds(5)));
  EXPECT_TRUE(SimCluster::eventually(
      [&] {
        return c.kubectl({"get", "nodes"}).exit_code == 0;
      },
      std::chrono::seconds(10)));
}

}  // namespace
