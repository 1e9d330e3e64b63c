// Running a child process for e2e tests: arguments, extra environment, stdin, captured stdout and
// stderr, exit code, a timeout that kills the child. Also a background form (for `kubectl get -w`
// and for kube-sim itself) whose output can be read while it runs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace e2e {

struct RunResult {
  int exit_code = -1;      // 128+N when killed by signal N; -1 when it could not start
  std::string out;         // stdout
  std::string err;         // stderr
  bool timed_out = false;  // killed after the timeout
  std::string output() const { return out + err; }
};

struct RunOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  std::string stdin_data;
  std::map<std::string, std::string> env;  // added to (or replacing in) the parent's environment
};

// Runs argv[0] (searched in PATH when it has no slash) and waits.
RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

// A child that runs in the background; output is collected by a reader thread.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string out() const;
  std::string err() const;
  bool running();
  // Waits until stdout contains `text` (true) or the timeout passes (false).
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const;
  // Sends `sig` and waits up to `grace` for the exit, then SIGKILL. Returns the RunResult.
  RunResult stop(int sig, std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  void reap(int status);
  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mu_;
  std::string out_, err_;
  bool exited_ = false;
  int exit_code_ = -1;
};

}  // namespace e2e
