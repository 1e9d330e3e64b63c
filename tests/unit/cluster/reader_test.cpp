#include "pkg/cluster/reader.h"

#include <gtest/gtest.h>

#include "pkg/cluster/decode.h"
#include "pkg/kube/paths.h"
#include "pkg/kube/testing/fake_client.h"

namespace cluster {
namespace {

using kube::json;

json node(std::string name, std::string kubelet, bool cp, bool ready = true) {
  json n = {{"metadata", {{"name", name}, {"labels", json::object()}}},
            {"spec", json::object()},
            {"status",
             {{"nodeInfo",
               {{"kubeletVersion", kubelet},
                {"osImage", "Debian GNU/Linux 12 (bookworm)"},
                {"containerRuntimeVersion", "containerd://1.7.20"}}},
              {"conditions",
               {{{"type", "Ready"},
                 {"status", ready ? "True" : "False"},
                 {"reason", ready ? "KubeletReady" : "KubeletNotReady"}}}},
              {"allocatable", {{"cpu", "4"}, {"memory", "8Gi"}}}}}};
  if (cp) {
    n["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] = "";
    n["spec"]["taints"] = {
        {{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}};
  }
  return n;
}

json mirror(std::string component, std::string node, std::string tag) {
  return {{"metadata",
           {{"name", component + "-" + node},
            {"namespace", "kube-system"},
            {"labels", {{"component", component}, {"tier", "control-plane"}}},
            {"annotations", {{"kubernetes.io/config.mirror", "abc"}}}}},
          {"spec",
           {{"nodeName", node},
            {"containers",
             {{{"name", component}, {"image", "registry.k8s.io/" + component + ":" + tag}}}}}},
          {"status",
           {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
}

json pod(std::string ns, std::string name, std::string node, json labels = json::object()) {
  return {
      {"metadata", {{"name", name}, {"namespace", ns}, {"labels", labels}}},
      {"spec",
       {{"nodeName", node},
        {"containers",
         {{{"name", "c"}, {"resources", {{"requests", {{"cpu", "250m"}, {"memory", "64Mi"}}}}}}}}}},
      {"status", {{"phase", "Running"}}}};
}

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake.set_raw("/version", {{"gitVersion", "v1.31.2"}, {"major", "1"}, {"minor", "31"}});
    fake.add(kube::paths::nodes(), node("cp1", "v1.31.2", true));
    fake.add(kube::paths::nodes(), node("w1", "v1.30.5", false, false));
    fake.add(kube::paths::pods("kube-system"), mirror("kube-apiserver", "cp1", "v1.31.2"));
    fake.add(kube::paths::pods("kube-system"), mirror("etcd", "cp1", "3.5.15-0"));
    fake.add("/apis/apps/v1/namespaces/kube-system/daemonsets",
             {{"metadata", {{"name", "kube-proxy"}}},
              {"spec",
               {{"template",
                 {{"spec",
                   {{"containers",
                     {{{"name", "kube-proxy"},
                       {"image", "registry.k8s.io/kube-proxy:v1.31.2"}}}}}}}}}}});
    fake.add("/apis/apps/v1/namespaces/kube-system/deployments",
             {{"metadata", {{"name", "coredns"}}},
              {"spec",
               {{"template",
                 {{"spec",
                   {{"containers",
                     {{{"name", "coredns"},
                       {"image", "registry.k8s.io/coredns/coredns:v1.11.3"}}}}}}}}}}});
    fake.add("/api/v1/namespaces/kube-system/configmaps",
             {{"metadata", {{"name", "kubeadm-config"}}},
              {"data",
               {{"ClusterConfiguration",
                 "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                 "kubernetesVersion: v1.31.2\ncontrolPlaneEndpoint: cp1:6443\n"}}}});
    fake.add("/apis/policy/v1/namespaces/shop/poddisruptionbudgets",
             {{"metadata", {{"name", "web"}, {"generation", 1}}},
              {"spec", {{"minAvailable", 2}, {"selector", {{"matchLabels", {{"app", "web"}}}}}}},
              {"status",
               {{"disruptionsAllowed", 1},
                {"currentHealthy", 3},
                {"desiredHealthy", 2},
                {"expectedPods", 3},
                {"observedGeneration", 1}}}});
    json web = pod("shop", "web-1", "w1", {{"app", "web"}});
    web["metadata"]["ownerReferences"] = {
        {{"kind", "ReplicaSet"}, {"name", "web-7d"}, {"controller", true}}};
    web["spec"]["volumes"] = {{{"name", "tmp"}, {"emptyDir", json::object()}}};
    web["spec"]["tolerations"] = {
        {{"key", "node.kubernetes.io/not-ready"},
         {"operator", "Exists"},
         {"effect", "NoExecute"},
         {"tolerationSeconds", 300}},
        {{"key", "dedicated"}, {"operator", "Equal"}, {"value", "web"}, {"effect", "NoSchedule"}}};
    fake.add(kube::paths::pods("shop"), web);
    json ds = pod("kube-system", "fluent-x", "w1");
    ds["metadata"]["ownerReferences"] = {
        {{"kind", "DaemonSet"}, {"name", "fluent"}, {"controller", true}}};
    fake.add(kube::paths::pods("kube-system"), ds);
    fake.add(kube::paths::pods("shop"), pod("shop", "pending", ""));
  }

  ReadOptions options{.page_size = 2, .observed_at = "2026-11-26T10:00:00Z"};
  kube::testing::FakeClient fake;
};

TEST_F(ReaderTest, ReadsEverythingThePlanNeeds) {
  auto inv = read_inventory(fake, options);
  ASSERT_TRUE(inv) << inv.error().to_string();
  EXPECT_EQ(inv->observed_at, "2026-11-26T10:00:00Z");
  EXPECT_EQ(inv->server_version->to_string(), "v1.31.2");
  ASSERT_EQ(inv->nodes.size(), 2u);
  const NodeInfo* cp1 = inv->node("cp1");
  ASSERT_TRUE(cp1);
  EXPECT_TRUE(cp1->control_plane);
  EXPECT_TRUE(cp1->ready);
  EXPECT_EQ(cp1->allocatable.cpu_millis, 4000);
  EXPECT_EQ(cp1->allocatable.memory_bytes, 8LL << 30);
  ASSERT_EQ(cp1->taints.size(), 1u);
  const NodeInfo* w1 = inv->node("w1");
  EXPECT_FALSE(w1->ready);
  EXPECT_EQ(w1->ready_reason, "KubeletNotReady");
  EXPECT_EQ(w1->kubelet->to_string(), "v1.30.5");

  ASSERT_EQ(inv->control_plane_pods.size(), 2u);
  EXPECT_EQ(inv->kube_proxy.version->to_string(), "v1.31.2");
  EXPECT_EQ(inv->coredns.tag, "v1.11.3");
  EXPECT_EQ(inv->kubeadm_config.kubernetes_version->to_string(), "v1.31.2");
  EXPECT_EQ(inv->kubeadm_config.control_plane_endpoint, "cp1:6443");
  EXPECT_FALSE(inv->lock.found);

  ASSERT_EQ(inv->pdbs.size(), 1u);
  EXPECT_EQ(inv->pdbs[0].min_available, "2");
  EXPECT_EQ(inv->pdbs[0].disruptions_allowed, 1);
  // The unbound pod is left out; the bound ones are summarised.
  std::map<std::string, PodSummary> pods;
  for (const auto& p : inv->pods) pods[p.key()] = p;
  EXPECT_FALSE(pods.contains("shop/pending"));
  const auto& web = pods.at("shop/web-1");
  EXPECT_EQ(web.owner_kind, "ReplicaSet");
  EXPECT_TRUE(web.emptydir);
  EXPECT_EQ(web.pdbs, std::vector<int>{0});
  EXPECT_EQ(web.requests.cpu_millis, 250);
  // The admission default (not-ready, NoExecute) is dropped; the pod's own toleration is kept.
  ASSERT_EQ(web.tolerations.size(), 1u);
  EXPECT_EQ(web.tolerations[0].key, "dedicated");
  const auto& ds = pods.at("kube-system/fluent-x");
  EXPECT_EQ(ds.owner_kind, "DaemonSet");
  EXPECT_TRUE(ds.owner_missing);  // no DaemonSet "fluent" stored
  EXPECT_TRUE(pods.at("kube-system/kube-apiserver-cp1").mirror);
}

TEST_F(ReaderTest, OnlyReadsNeverWrites) {
  ASSERT_TRUE(read_inventory(fake, options));
  for (const auto& call : fake.calls()) {
    SCOPED_TRACE(call.verb + " " + call.path);
    EXPECT_TRUE(call.verb == "GET" || call.verb == "LIST");
  }
}

TEST_F(ReaderTest, LockAndRemovedApis) {
  fake.add(kube::paths::leases("kube-system"), {{"metadata", {{"name", "kubectl-upgrade"}}},
                                                {"spec",
                                                 {{"holderIdentity", "alice@laptop"},
                                                  {"renewTime", "2026-11-26T09:59:50.000000Z"},
                                                  {"leaseDurationSeconds", 60}}}});
  fake.set_raw("/apis/flowcontrol.apiserver.k8s.io/v1beta3", {{"kind", "APIResourceList"}});
  fake.add(
      "/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas",
      {{"metadata",
        {{"name", "mine"},
         {"annotations",
          {{"kubectl.kubernetes.io/last-applied-configuration",
            R"({"apiVersion":"flowcontrol.apiserver.k8s.io/v1beta3","kind":"FlowSchema"})"}}}}}});
  auto inv = read_inventory(fake, options);
  ASSERT_TRUE(inv) << inv.error().to_string();
  EXPECT_TRUE(inv->lock.found);
  EXPECT_EQ(inv->lock.holder, "alice@laptop");
  EXPECT_EQ(inv->lock.duration_seconds, 60);
  ASSERT_EQ(inv->removed_apis.size(), 1u);
  EXPECT_EQ(inv->removed_apis[0].group_version, "flowcontrol.apiserver.k8s.io/v1beta3");
  EXPECT_TRUE(inv->removed_apis[0].served);
  EXPECT_EQ(inv->removed_apis[0].objects.at("flowschemas"), 1);
  EXPECT_EQ(inv->removed_apis[0].applied_with_it, 1);
}

TEST_F(ReaderTest, FailuresSayWhatWasBeingRead) {
  fake.set_hook([](const kube::testing::Call& call) -> std::optional<kube::Error> {
    if (call.verb == "LIST" && call.path == "/api/v1/pods")
      return kube::Error::transport("connection reset by peer");
    return std::nullopt;
  });
  auto inv = read_inventory(fake, options);
  ASSERT_FALSE(inv);
  EXPECT_NE(inv.error().message.find("listing pods"), std::string::npos) << inv.error().message;
}

TEST_F(ReaderTest, MissingOptionalObjectsAreRecordedAsAbsent) {
  kube::testing::FakeClient bare;
  bare.set_raw("/version", {{"gitVersion", "v1.33.1"}});
  auto inv = read_inventory(bare, options);
  ASSERT_TRUE(inv) << inv.error().to_string();
  EXPECT_FALSE(inv->kube_proxy.found);
  EXPECT_FALSE(inv->coredns.found);
  EXPECT_FALSE(inv->kubeadm_config.found);
  EXPECT_TRUE(inv->removed_apis.empty());
}

TEST(KubeadmConfig, BadYamlAndVersionAreReported) {
  auto bad =
      decode_kubeadm_config({{"data", {{"ClusterConfiguration", "kubernetesVersion: [oops"}}}});
  EXPECT_FALSE(bad.kubernetes_version);
  EXPECT_NE(bad.error.find("not valid YAML"), std::string::npos);
  auto weird =
      decode_kubeadm_config({{"data", {{"ClusterConfiguration", "kubernetesVersion: latest"}}}});
  EXPECT_NE(weird.error.find("invalid Kubernetes version"), std::string::npos);
}

}  // namespace
}  // namespace cluster
