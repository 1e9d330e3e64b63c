// `kubectl upgrade completion bash|zsh|fish|powershell`, and the link that lets kubectl itself
// complete `kubectl upgrade <TAB>` (--install-kubectl-link).
#include "cmd/kubectl-upgrade/completion.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "cmd/kubectl-upgrade/exit_codes.h"
#include "cmd/kubectl-upgrade/flags.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBash =
#include "cmd/kubectl-upgrade/scripts/bash.inc"
    ;
constexpr const char* kZsh =
#include "cmd/kubectl-upgrade/scripts/zsh.inc"
    ;
constexpr const char* kFish =
#include "cmd/kubectl-upgrade/scripts/fish.inc"
    ;
constexpr const char* kPowershell =
#include "cmd/kubectl-upgrade/scripts/powershell.inc"
    ;

// The path kubectl runs us by: argv[0] if it names a path, else the first match on PATH. Not
// resolved through symlinks: with krew, ~/.krew/bin (on PATH) is where the link must go.
std::optional<fs::path> invoked_path(const Context& ctx) {
  if (ctx.argv0.find('/') != std::string::npos) return fs::absolute(ctx.argv0);
  const std::string path = ctx.getenv("PATH").value_or("");
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find(':', start), path.size());
    const fs::path candidate = fs::path(path.substr(start, end - start)) / ctx.argv0;
    if (end > start && access(candidate.c_str(), X_OK) == 0) return fs::absolute(candidate);
    start = end + 1;
  }
  return std::nullopt;
}

int install_kubectl_link(Context& ctx, const std::optional<std::string>& dir_flag) {
  const auto self = invoked_path(ctx);
  if (!self) {
    return ctx.fail("cannot tell where kubectl-upgrade is installed (\"" + ctx.argv0 +
                    "\" is not on PATH): run it by its full path, or give --link-dir");
  }
  const fs::path dir = dir_flag ? fs::absolute(*dir_flag) : self->parent_path();
  const fs::path link = dir / kKubectlCompletionName;
  std::error_code ec;
  if (fs::is_symlink(link, ec)) {
    if (fs::read_symlink(link, ec) == *self) {
      ctx.err() << link.string() << " already points to " << self->string() << "\n";
      return kExitOk;
    }
  }
  if (fs::exists(fs::symlink_status(link, ec))) {
    return ctx.fail(link.string() + " already exists and is not a link to " + self->string() +
                    ": remove it and run this again");
  }
  fs::create_symlink(*self, link, ec);
  if (ec) {
    return ctx.fail("creating the link " + link.string() + " -> " + self->string() + ": " +
                    ec.message() + " (choose a writable folder on PATH with --link-dir)");
  }
  ctx.err() << "created " << link.string() << " -> " << self->string()
            << "\n\"kubectl upgrade <TAB>\" now completes through kubectl (1.26 or newer), as long "
               "as "
            << dir.string() << " is on PATH.\n";
  return kExitOk;
}

struct CompletionOptions {
  std::string shell;
  bool install_link = false;
  std::optional<std::string> link_dir;

  std::optional<std::string> validate(const std::vector<std::string>& args) const {
    if (install_link)
      return args.empty()
                 ? std::nullopt
                 : std::optional<std::string>("--install-kubectl-link takes no shell argument");
    if (args.empty()) {
      return "Shell not specified.\nSee 'kubectl upgrade completion -h' for help and examples";
    }
    if (args.size() > 1) {
      return "Too many arguments. Expected only the shell type.\nSee 'kubectl upgrade "
             "completion -h' for help and examples";
    }
    if (shell != "bash" && shell != "zsh" && shell != "fish" && shell != "powershell") {
      return "Unsupported shell type \"" + shell +
             "\".\nSee 'kubectl upgrade completion -h' for help and examples";
    }
    return std::nullopt;
  }

  int run(Context& ctx) const {
    if (install_link) return install_kubectl_link(ctx, link_dir);
    ctx.out() << completion_script(shell);
    return kExitOk;
  }
};

}  // namespace

std::string completion_script(const std::string& shell) {
  if (shell == "bash") return kBash;
  if (shell == "zsh") return kZsh;
  if (shell == "fish") return kFish;
  if (shell == "powershell") return kPowershell;
  return "";
}

CommandSpec completion_command() {
  CommandSpec c;
  c.name = "completion";
  c.args_usage = "SHELL";
  c.short_help =
      "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)";
  c.long_help =
      "Output shell completion code for the specified shell (bash, zsh, fish, or powershell).\n"
      "The shell code must be evaluated to provide interactive completion of kubectl-upgrade\n"
      "commands. For \"kubectl upgrade <TAB>\" through kubectl (1.26+), run once:\n"
      "  kubectl upgrade completion --install-kubectl-link\n"
      "which creates kubectl_complete-upgrade next to kubectl-upgrade on PATH.";
  c.examples =
      "  # Load the bash completion code into the current shell\n"
      "  source <(kubectl-upgrade completion bash)\n\n"
      "  # Load the zsh completion code for every new shell\n"
      "  kubectl-upgrade completion zsh > \"${fpath[1]}/_kubectl-upgrade\"\n\n"
      "  # Load the fish completion code for every new shell\n"
      "  kubectl-upgrade completion fish > ~/.config/fish/completions/kubectl-upgrade.fish\n\n"
      "  # Let kubectl complete \"kubectl upgrade <TAB>\"\n"
      "  kubectl upgrade completion --install-kubectl-link\n";
  c.add_flags = [](cxxopts::Options& o) {
    flags::add_bool(o, "install-kubectl-link",
                    "Create kubectl_complete-upgrade next to kubectl-upgrade, so that kubectl "
                    "(1.26+) completes \"kubectl upgrade <TAB>\".");
    flags::add_string(o, "link-dir",
                      "Folder for the kubectl_complete-upgrade link (a folder on PATH). Default: "
                      "the folder kubectl-upgrade was run from.");
  };
  c.run = [](Context& ctx, const cxxopts::ParseResult& r) {
    CompletionOptions opts;
    if (!ctx.args.empty()) opts.shell = ctx.args[0];
    opts.install_link = r["install-kubectl-link"].as<bool>();
    opts.link_dir = flags::given_string(r, "link-dir");
    if (auto problem = opts.validate(ctx.args)) return ctx.fail(*problem);
    return opts.run(ctx);
  };
  c.complete_args = [](const CompletionQuery& q) {
    if (!q.ctx.args.empty()) return Completions{};
    return fixed_values({"bash", "zsh", "fish", "powershell"})(q);
  };
  c.complete_flag["link-dir"] = [](const CompletionQuery&) {
    return Completions{{}, kDirectiveFilterDirs};
  };
  return c;
}

}  // namespace cli
