// Paged lists, watches, log streams and retries against the local HTTPS server.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "pkg/kube/retrying_client.h"
#include "tests/unit/kube/client_fixture.h"

namespace kube {
namespace {

using ::testing::HasSubstr;
using testing::json_reply;
using testing::SeenRequest;
using testing::status_json;

class StreamTest : public testing::ClientTest {};

json pod(int i) {
  return {{"metadata", {{"name", "p" + std::to_string(i)}, {"uid", "uid-" + std::to_string(i)}}}};
}

// Pages of `per_page` pods out of `total`; the continue token is the next index.
void serve_pages(const SeenRequest& req, httplib::Response& res, int total, int per_page) {
  int start = req.query.count("continue") ? std::stoi(req.query.at("continue")) : 0;
  json page = {
      {"kind", "PodList"}, {"metadata", {{"resourceVersion", "77"}}}, {"items", json::array()}};
  for (int i = start; i < std::min(total, start + per_page); ++i) page["items"].push_back(pod(i));
  if (start + per_page < total) page["metadata"]["continue"] = std::to_string(start + per_page);
  json_reply(res, page.dump());
}

TEST_F(StreamTest, ListPagesWithLimitAndContinue) {
  server.set_handler(
      [](const SeenRequest& req, httplib::Response& res) { serve_pages(req, res, 7, 3); });
  std::vector<std::string> names;
  ListOptions options;
  options.limit = 3;
  options.label_selector = "app=web";
  auto rv = client(config())->list("/api/v1/pods", options, [&](const json& item) {
    names.push_back(item["metadata"]["name"]);
    return true;
  });
  ASSERT_TRUE(rv) << rv.error().to_string();
  EXPECT_EQ(*rv, "77");
  EXPECT_EQ(names, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4", "p5", "p6"}));
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].query.at("limit"), "3");
  EXPECT_EQ(seen[0].query.at("labelSelector"), "app=web");
  EXPECT_EQ(seen[0].query.count("continue"), 0u);
  EXPECT_EQ(seen[1].query.at("continue"), "3");
  EXPECT_EQ(seen[2].query.at("continue"), "6");
}

TEST_F(StreamTest, ListStopsWhenTheSinkSaysSo) {
  server.set_handler(
      [](const SeenRequest& req, httplib::Response& res) { serve_pages(req, res, 100, 10); });
  int seen_items = 0;
  ListOptions options;
  options.limit = 10;
  ASSERT_TRUE(client(config())->list("/api/v1/pods", options,
                                     [&](const json&) { return ++seen_items < 15; }));
  EXPECT_EQ(seen_items, 15);
  EXPECT_EQ(server.count(), 2u);
}

TEST_F(StreamTest, ExpiredContinueRestartsTheListOnceWithoutRepeats) {
  int expired = 0;
  server.set_handler([&](const SeenRequest& req, httplib::Response& res) {
    if (req.query.count("continue") && req.query.at("continue") == "4" && expired++ == 0) {
      json_reply(res,
                 status_json(410, "Expired",
                             "The provided continue parameter is too old to display a consistent "
                             "list result."),
                 410);
      return;
    }
    serve_pages(req, res, 6, 2);
  });
  std::vector<std::string> names;
  ListOptions options;
  options.limit = 2;
  auto rv = client(config())->list("/api/v1/pods", options, [&](const json& item) {
    names.push_back(item["metadata"]["name"]);
    return true;
  });
  ASSERT_TRUE(rv) << rv.error().to_string();
  EXPECT_EQ(names, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4", "p5"}));
  EXPECT_EQ(server.count(), 2u + 1u + 3u);  // two pages, the 410, then three pages again
}

TEST_F(StreamTest, ASecondExpiredContinueIsReturned) {
  server.set_handler([&](const SeenRequest& req, httplib::Response& res) {
    if (req.query.count("continue")) {
      json_reply(res, status_json(410, "Expired", "too old"), 410);
      return;
    }
    serve_pages(req, res, 6, 2);
  });
  ListOptions options;
  options.limit = 2;
  auto rv = client(config())->list("/api/v1/pods", options, [](const json&) { return true; });
  ASSERT_FALSE(rv);
  EXPECT_TRUE(rv.error().gone());
}

// Sends `parts` as separate chunks (an event may be split across chunks).
void serve_chunks(httplib::Response& res, std::vector<std::string> parts) {
  auto shared = std::make_shared<std::vector<std::string>>(std::move(parts));
  res.set_chunked_content_provider("application/json", [shared](size_t, httplib::DataSink& sink) {
    for (const auto& p : *shared) {
      if (!sink.write(p.data(), p.size())) return false;
      // A pause between parts, so they reach the client as separate reads.
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    sink.done();
    return true;
  });
}

TEST_F(StreamTest, MalformedAnswersAreErrorsNotExceptions) {
  std::string answer;
  int code = 200;
  server.set_handler(
      [&](const SeenRequest&, httplib::Response& res) { json_reply(res, answer, code); });
  auto c = client(config());
  auto keep = [](const json&) { return true; };
  answer = "[1,2,3]";
  auto array = c->list("/api/v1/pods", {}, keep);
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().kind, ErrorKind::kDecode);
  answer = R"({"metadata":{"resourceVersion":7,"continue":false},"items":[{"metadata":5}]})";
  auto odd = c->list("/api/v1/pods", {}, keep);
  ASSERT_TRUE(odd) << odd.error().to_string();
  EXPECT_EQ(*odd, "");
  answer = R"({"type":5,"object":[]})"
           "\n";
  EXPECT_TRUE(c->watch("/api/v1/pods", {}, [](const WatchEvent& e) {
    EXPECT_EQ(e.type, "");
    return true;
  }));
  code = 409;
  answer = R"({"kind":"Status","code":"409","reason":7,"details":{"causes":[{"reason":1}]}})";
  auto status = c->get("/api/v1/nodes/n1");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().status.code, 409);
  EXPECT_EQ(status.error().status.reason, "");
}

TEST_F(StreamTest, AThrowingSinkBecomesAnError) {
  server.set_handler([](const SeenRequest& req, httplib::Response& res) {
    if (req.query.count("watch")) {
      serve_chunks(res, {R"({"type":"ADDED","object":{"metadata":{}}})"
                         "\n"});
    } else {
      serve_pages(req, res, 3, 3);
    }
  });
  auto c = client(config());
  auto list = c->list("/api/v1/pods", {}, [](const json& item) {
    return item.at("spec").get<std::string>().empty();  // throws: pods here have no spec
  });
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().kind, ErrorKind::kDecode);
  auto watch = c->watch("/api/v1/pods", {}, [](const WatchEvent& e) {
    return e.object.at("metadata").at("name").get<std::string>().empty();  // throws out_of_range
  });
  ASSERT_FALSE(watch);
  EXPECT_EQ(watch.error().kind, ErrorKind::kDecode);
}

// Accepts TCP connections and resets them at once, like an API server going down.
class ResettingServer {
 public:
  ResettingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        ++accepted;
        linger hard{1, 0};  // close with RST
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        ::close(c);
      }
    });
  }
  ~ResettingServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::atomic<int> accepted{0};

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(StreamTest, ResetConnectionsAreRetriedForGetsOnly) {
  ResettingServer resetting;
  RestConfig c = config();
  c.server = "https://127.0.0.1:" + std::to_string(resetting.port());
  auto kc = client(c, true);
  auto r = kc->get("/version");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, TransportFailure::kReset) << r.error().message;
  EXPECT_EQ(resetting.accepted.load(), 5);  // max_attempts
  auto post = kc->create("/api/v1/namespaces/d/events", json::object());
  ASSERT_FALSE(post);
  EXPECT_EQ(resetting.accepted.load(), 6);  // the POST may have reached the server: once
}

TEST_F(StreamTest, WatchParsesEventsSplitAcrossChunks) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    serve_chunks(res, {R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})"
                       "\n"
                       R"({"type":"MODIF)",
                       R"(IED","object":{"metadata":{"name":"a","resourceVersion":"5"}}})"
                       "\n",
                       R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})"
                       "\n"});
  });
  std::vector<std::string> types;
  WatchOptions options;
  options.resource_version = "4";
  options.field_selector = "metadata.name=a";
  options.timeout_seconds = 30;
  auto r = client(config())->watch("/api/v1/namespaces/d/pods", options, [&](const WatchEvent& e) {
    types.push_back(e.type);
    return true;
  });
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "MODIFIED", "BOOKMARK"}));
  auto q = server.seen()[0].query;
  EXPECT_EQ(q.at("watch"), "true");
  EXPECT_EQ(q.at("resourceVersion"), "4");
  EXPECT_EQ(q.at("allowWatchBookmarks"), "true");
  EXPECT_EQ(q.at("fieldSelector"), "metadata.name=a");
  EXPECT_EQ(q.at("timeoutSeconds"), "30");
}

TEST_F(StreamTest, WatchInStreamExpiredIsAGoneError) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    serve_chunks(res, {R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})"
                       "\n"
                       R"({"type":"ERROR","object":)" +
                       status_json(410, "Expired", "too old resource version: 4 (90)") + "}\n"});
  });
  int events = 0;
  auto r = client(config())->watch("/api/v1/pods", {}, [&](const WatchEvent&) {
    ++events;
    return true;
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(events, 1);
  EXPECT_TRUE(r.error().gone());
  EXPECT_EQ(r.error().status.reason, "Expired");
  EXPECT_THAT(r.error().message, HasSubstr("too old resource version"));
}

TEST_F(StreamTest, WatchHttp410IsAGoneError) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    json_reply(res, status_json(410, "Gone", "too old"), 410);
  });
  auto r = client(config())->watch("/api/v1/pods", {}, [](const WatchEvent&) { return true; });
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().gone());
}

TEST_F(StreamTest, WatchEndsWhenTheSinkReturnsFalse) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
      std::string e = R"({"type":"MODIFIED","object":{}})"
                      "\n";
      return sink.write(e.data(), e.size());  // endless
    });
  });
  int events = 0;
  auto r =
      client(config())->watch("/api/v1/pods", {}, [&](const WatchEvent&) { return ++events < 5; });
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(events, 5);
}

TEST_F(StreamTest, LogStreamDeliversChunksAndWaitingErrors) {
  server.set_handler([](const SeenRequest& req, httplib::Response& res) {
    if (req.path.find("/waiting/") != std::string::npos) {
      json_reply(res,
                 status_json(400, "BadRequest",
                             "container \\\"c\\\" in pod \\\"waiting\\\" is waiting to start: "
                             "ContainerCreating"),
                 400);
      return;
    }
    serve_chunks(res, {"line 1\n", "line 2\n"});
  });
  auto c = client(config());
  std::string text;
  auto ok = c->stream("/api/v1/namespaces/d/pods/p/log", {{"follow", "true"}, {"container", "c"}},
                      [&](std::string_view chunk) {
                        text += chunk;
                        return true;
                      });
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(text, "line 1\nline 2\n");
  EXPECT_EQ(server.seen()[0].query.at("follow"), "true");
  auto waiting =
      c->stream("/api/v1/namespaces/d/pods/waiting/log", {}, [](std::string_view) { return true; });
  ASSERT_FALSE(waiting);
  EXPECT_EQ(waiting.error().to_string(),
            "Error from server (BadRequest): container \"c\" in pod \"waiting\" is waiting to "
            "start: ContainerCreating");
}

// --- retries (through make_client's RetryingClient, with the fake clock) ---

TEST_F(StreamTest, Retries503ThenSucceeds) {
  int calls = 0;
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    if (++calls == 1) {
      json_reply(res, status_json(503, "ServiceUnavailable", "try later"), 503);
    } else {
      json_reply(res, R"({"ok":true})");
    }
  });
  auto r = client(config(), true)->get("/api/v1/nodes");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(server.count(), 2u);
  EXPECT_GT(clock->slept().count(), 0);
}

TEST_F(StreamTest, Retries429HonouringRetryAfter) {
  int calls = 0;
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    if (++calls == 1) {
      res.set_header("Retry-After", "3");
      json_reply(res, status_json(429, "TooManyRequests", "slow down"), 429);
    } else {
      json_reply(res, "{}");
    }
  });
  ASSERT_TRUE(client(config(), true)->update("/api/v1/nodes/n1", json::object()));
  EXPECT_EQ(server.count(), 2u);
  EXPECT_EQ(clock->slept(), std::chrono::seconds(3));
}

TEST_F(StreamTest, RetryAfterBeyondTheDeadlineIsNotWaitedFor) {
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    res.set_header("Retry-After", "120");
    json_reply(res, testing::status_json(429, "TooManyRequests", "slow down"), 429);
  });
  auto r = client(config(), true)->get("/api/v1/nodes");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status.code, 429);
  EXPECT_EQ(server.count(), 1u);
  EXPECT_EQ(clock->slept().count(), 0);
}

TEST_F(StreamTest, PostIsNotRetriedUnlessTheCallerOptsIn) {
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    json_reply(res, status_json(503, "ServiceUnavailable", "try later"), 503);
  });
  auto c = client(config(), true);
  auto r = c->create("/api/v1/namespaces/d/events", json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status.code, 503);
  EXPECT_EQ(server.count(), 1u);
  {
    RetryNonIdempotent allow;
    ASSERT_FALSE(c->create("/api/v1/namespaces/d/events", json::object()));
  }
  EXPECT_EQ(server.count(), 1u + 5u);  // max_attempts
}

TEST_F(StreamTest, RetriesStopAtTheDeadline) {
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    json_reply(res, status_json(500, "InternalError", "broken"), 500);
  });
  ClientOptions o = options(true);
  o.retry.max_attempts = 100;
  o.retry.initial_backoff = std::chrono::seconds(1);
  o.retry.max_backoff = std::chrono::seconds(4);
  o.retry.jitter = 0;
  o.retry.deadline = std::chrono::seconds(10);
  auto r = make_client(config(), o)->get("/api/v1/nodes");
  ASSERT_FALSE(r);
  // Waits 1, 2, 4 (total 7); another 4 would pass the 10 s deadline.
  EXPECT_EQ(clock->slept(), std::chrono::seconds(7));
  EXPECT_EQ(server.count(), 4u);
}

TEST_F(StreamTest, NotFoundIsNeverRetried) {
  server.set_handler([&](const SeenRequest&, httplib::Response& res) {
    json_reply(res, status_json(404, "NotFound", "nope"), 404);
  });
  ASSERT_FALSE(client(config(), true)->get("/api/v1/nodes/x"));
  EXPECT_EQ(server.count(), 1u);
  EXPECT_EQ(clock->slept().count(), 0);
}

TEST_F(StreamTest, RefusedConnectionsAreRetriedThenReported) {
  RestConfig c = config();
  int port = 0;
  {
    testing::TestServer closed;
    port = closed.port();
  }
  c.server = "https://127.0.0.1:" + std::to_string(port);
  auto r = client(c, true)->create("/api/v1/namespaces/d/events", json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().failure, TransportFailure::kRefused);
  EXPECT_GT(clock->slept().count(), 0);  // refused: nothing reached the server, POST may repeat
}

TEST_F(StreamTest, AWatchThatDeliveredEventsIsNotRetried) {
  server.set_handler([](const SeenRequest&, httplib::Response& res) {
    serve_chunks(res, {R"({"type":"ADDED","object":{}})"
                       "\n"
                       R"({"type":"ERROR","object":)" +
                       status_json(500, "InternalError", "etcd went away") + "}\n"});
  });
  int events = 0;
  auto r = client(config(), true)->watch("/api/v1/pods", {}, [&](const WatchEvent&) {
    ++events;
    return true;
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(events, 1);
  EXPECT_EQ(server.count(), 1u);
}

}  // namespace
}  // namespace kube

namespace kube {
namespace {

long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// 150,000 pods in pages of 500 stream through list() without the client holding them: the
// process's peak memory grows by far less than the ~1 GB the parsed pods would take.
// Opt-in (KU_KUBE_BIG=1): it moves ~250 MB of JSON.
TEST_F(StreamTest, HundredFiftyThousandPodsStream) {
  if (!std::getenv("KU_KUBE_BIG")) GTEST_SKIP() << "set KU_KUBE_BIG=1 to run";
  constexpr int kTotal = 150000, kPage = 500;
  json item = {{"metadata",
                {{"name", "pod"},
                 {"namespace", "team"},
                 {"uid", "UID"},
                 {"labels", {{"app", "web"}, {"tier", "frontend"}}}}},
               {"spec",
                {{"nodeName", "w1"},
                 {"containers",
                  {{{"name", "c"},
                    {"image", "registry.k8s.io/pause:3.10"},
                    {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "64Mi"}}}}}}}}}},
               {"status", {{"phase", "Running"}, {"podIP", "10.0.0.1"}}}};
  server.set_handler([&](const SeenRequest& req, httplib::Response& res) {
    int start = req.query.count("continue") ? std::stoi(req.query.at("continue")) : 0;
    std::string body = R"({"kind":"PodList","metadata":{"resourceVersion":"9")";
    if (start + kPage < kTotal) body += R"(,"continue":")" + std::to_string(start + kPage) + "\"";
    body += R"(},"items":[)";
    for (int i = start; i < start + kPage; ++i) {
      json pod = item;
      pod["metadata"]["name"] = "pod-" + std::to_string(i);
      pod["metadata"]["uid"] = "uid-" + std::to_string(i);
      body += (i == start ? "" : ",") + pod.dump();
    }
    body += "]}";
    json_reply(res, body);
  });
  long before = peak_rss_kb();
  long count = 0;
  ListOptions options;
  options.limit = kPage;
  auto start = std::chrono::steady_clock::now();
  auto rv = client(config())->list("/api/v1/pods", options, [&](const json& pod) {
    count += pod["metadata"]["name"].is_string();
    return true;
  });
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
  ASSERT_TRUE(rv) << rv.error().to_string();
  EXPECT_EQ(count, kTotal);
  long growth_mb = (peak_rss_kb() - before) / 1024;
  EXPECT_LT(growth_mb, 200);
  std::printf("listed %ld pods in %lld ms, peak RSS growth %ld MB (client and server)\n", count,
              static_cast<long long>(ms.count()), growth_mb);
}

}  // namespace
}  // namespace kube
