// Flag parsing with pflag's rules: forms, positions, repeatables, precedence and kubectl's errors.
#include "cmd/kubectl-upgrade/parse.h"

#include <gtest/gtest.h>

#include "cmd/kubectl-upgrade/flags.h"
#include "tests/unit/cli/harness.h"

namespace {

kube::ConfigFlags parsed(const std::vector<std::string>& args) {
  auto inv = cli::parse_command_line(args);
  EXPECT_TRUE(inv.has_value()) << (inv ? "" : inv.error().message);
  if (!inv) return {};
  return cli::flags::config_flags(inv->result);
}

TEST(ParseFlags, ConnectionFlagsInEveryForm) {
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::function<void(const kube::ConfigFlags&)> check;
  };
  const std::vector<Case> cases = {
      {"--flag value",
       {"version", "--context", "prod"},
       [](auto& f) { EXPECT_EQ(f.context, "prod"); }},
      {"--flag=value",
       {"version", "--context=prod"},
       [](auto& f) { EXPECT_EQ(f.context, "prod"); }},
      {"before the command",
       {"--context", "prod", "version"},
       [](auto& f) { EXPECT_EQ(f.context, "prod"); }},
      {"value with colons and equals",
       {"--context=arn:aws:eks:eu-west-1:1:cluster/a=b", "version"},
       [](auto& f) { EXPECT_EQ(f.context, "arn:aws:eks:eu-west-1:1:cluster/a=b"); }},
      {"empty value with =",
       {"version", "--namespace="},
       [](auto& f) { EXPECT_EQ(f.namespace_, ""); }},
      {"value that looks like a flag is taken",
       {"version", "--user", "-x"},
       [](auto& f) { EXPECT_EQ(f.user, "-x"); }},
      {"-n value",
       {"version", "-n", "kube-system"},
       [](auto& f) { EXPECT_EQ(f.namespace_, "kube-system"); }},
      {"-n=value",
       {"version", "-n=kube-system"},
       [](auto& f) { EXPECT_EQ(f.namespace_, "kube-system"); }},
      {"-nvalue",
       {"version", "-nkube-system"},
       [](auto& f) { EXPECT_EQ(f.namespace_, "kube-system"); }},
      {"-s server",
       {"-s", "https://10.0.0.1:6443", "version"},
       [](auto& f) { EXPECT_EQ(f.server, "https://10.0.0.1:6443"); }},
      {"-v6", {"version", "-v6"}, [](auto& f) { EXPECT_EQ(f.verbosity, 6); }},
      {"-v 7", {"version", "-v", "7"}, [](auto& f) { EXPECT_EQ(f.verbosity, 7); }},
      {"--v=8", {"--v=8", "version"}, [](auto& f) { EXPECT_EQ(f.verbosity, 8); }},
      {"-v=9", {"version", "-v=9"}, [](auto& f) { EXPECT_EQ(f.verbosity, 9); }},
      {"the last of a repeated flag wins",
       {"--context=a", "version", "--context=b"},
       [](auto& f) { EXPECT_EQ(f.context, "b"); }},
      {"--as-group repeats and keeps commas",
       {"--as-group", "system:masters", "version", "--as-group=a,b"},
       [](auto& f) {
         EXPECT_EQ(f.as_groups, (std::vector<std::string>{"system:masters", "a,b"}));
       }},
      {"--as-user-extra repeats",
       {"version", "--as-user-extra=k=v1", "--as-user-extra", "k=v2"},
       [](auto& f) {
         EXPECT_EQ(f.as_user_extra, (std::vector<std::string>{"k=v1", "k=v2"}));
       }},
      {"bool flag alone is true",
       {"version", "--insecure-skip-tls-verify"},
       [](auto& f) { EXPECT_EQ(f.insecure_skip_tls_verify, true); }},
      {"bool flag =false is given and false",
       {"version", "--insecure-skip-tls-verify=false"},
       [](auto& f) { EXPECT_EQ(f.insecure_skip_tls_verify, false); }},
      {"bool spellings of strconv.ParseBool",
       {"version", "--disable-compression=T"},
       [](auto& f) { EXPECT_TRUE(f.disable_compression); }},
      {"unset flags stay unset",
       {"version"},
       [](auto& f) {
         EXPECT_FALSE(f.kubeconfig.has_value());
         EXPECT_FALSE(f.context.has_value());
         EXPECT_FALSE(f.namespace_.has_value());
         EXPECT_FALSE(f.insecure_skip_tls_verify.has_value());
         EXPECT_FALSE(f.request_timeout.has_value());
         EXPECT_FALSE(f.cache_dir.has_value());
         EXPECT_TRUE(f.as_groups.empty());
         EXPECT_EQ(f.verbosity, 0);
       }},
      {"every connection flag",
       {"version", "--kubeconfig=/k", "--cluster=c", "--user=u", "--tls-server-name=t",
        "--certificate-authority=/ca", "--client-certificate=/crt", "--client-key=/key",
        "--token=tok", "--as=alice", "--as-uid=42", "--username=bob", "--password=pw",
        "--request-timeout=5s", "--cache-dir=/cache"},
       [](auto& f) {
         EXPECT_EQ(f.kubeconfig, "/k");
         EXPECT_EQ(f.cluster, "c");
         EXPECT_EQ(f.user, "u");
         EXPECT_EQ(f.tls_server_name, "t");
         EXPECT_EQ(f.certificate_authority, "/ca");
         EXPECT_EQ(f.client_certificate, "/crt");
         EXPECT_EQ(f.client_key, "/key");
         EXPECT_EQ(f.token, "tok");
         EXPECT_EQ(f.as, "alice");
         EXPECT_EQ(f.as_uid, "42");
         EXPECT_EQ(f.username, "bob");
         EXPECT_EQ(f.password, "pw");
         EXPECT_EQ(f.request_timeout, "5s");
         EXPECT_EQ(f.cache_dir, "/cache");
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    c.check(parsed(c.args));
  }
}

TEST(ParseFlags, PositionalArgumentsAndDoubleDash) {
  auto inv = cli::parse_command_line({"-n", "x", "completion", "bash"});
  ASSERT_TRUE(inv.has_value());
  ASSERT_NE(inv->command, nullptr);
  EXPECT_EQ(inv->command->name, "completion");
  EXPECT_EQ(inv->tokens.positional, (std::vector<std::string>{"bash"}));

  inv = cli::parse_command_line({"completion", "--", "--not-a-flag"});
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->tokens.positional, (std::vector<std::string>{"--not-a-flag"}));
}

TEST(ParseFlags, ShorthandGroups) {
  auto inv = cli::parse_command_line({"version", "-ojson"});
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->result["output"].as<std::string>(), "json");
  inv = cli::parse_command_line({"version", "-hv5"});  // -h is a bool, then -v takes "5"
  ASSERT_TRUE(inv.has_value());
  EXPECT_TRUE(inv->help);
  EXPECT_EQ(cli::flags::config_flags(inv->result).verbosity, 5);
}

// The exact words kubectl (cobra/pflag) uses, and the exit code 1.
TEST(ParseFlags, ErrorsWordedLikeKubectl) {
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string want_err;
  };
  const std::vector<Case> cases = {
      {"unknown long flag",
       {"version", "--foo"},
       "error: unknown flag: --foo\nSee 'kubectl upgrade version --help' for usage.\n"},
      {"unknown long flag with value",
       {"version", "--foo=bar"},
       "error: unknown flag: --foo\nSee 'kubectl upgrade version --help' for usage.\n"},
      {"unknown shorthand",
       {"version", "-x"},
       "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl upgrade version --help' for "
       "usage.\n"},
      {"unknown shorthand inside a group",
       {"version", "-hz"},
       "error: unknown shorthand flag: 'z' in -hz\nSee 'kubectl upgrade version --help' for "
       "usage.\n"},
      {"missing value",
       {"version", "--context"},
       "error: flag needs an argument: --context\nSee 'kubectl upgrade version --help' for "
       "usage.\n"},
      {"missing value of a shorthand",
       {"version", "-n"},
       "error: flag needs an argument: 'n' in -n\nSee 'kubectl upgrade version --help' for "
       "usage.\n"},
      {"bad bool",
       {"version", "--insecure-skip-tls-verify=maybe"},
       "error: invalid argument \"maybe\" for \"--insecure-skip-tls-verify\" flag: "
       "strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl upgrade version "
       "--help' for usage.\n"},
      {"bad int",
       {"version", "-v", "abc"},
       "error: invalid argument \"abc\" for \"-v, --v\" flag: strconv.ParseInt: parsing \"abc\": "
       "invalid syntax\nSee 'kubectl upgrade version --help' for usage.\n"},
      {"flag of another command",
       {"version", "--max-unavailable=2"},
       "error: unknown flag: --max-unavailable\nSee 'kubectl upgrade version --help' for "
       "usage.\n"},
      {"unknown flag before any command",
       {"--foo"},
       "error: unknown flag: --foo\nSee 'kubectl upgrade --help' for usage.\n"},
      {"unknown command",
       {"frobnicate"},
       "error: unknown command \"frobnicate\" for \"kubectl upgrade\"\nRun 'kubectl upgrade "
       "--help' for usage.\n"},
      {"unknown command with a suggestion",
       {"verison"},
       "error: unknown command \"verison\" for \"kubectl upgrade\"\n\nDid you mean this?\n"
       "\tversion\n\nRun 'kubectl upgrade --help' for usage.\n"},
      {"unknown command after flags",
       {"--context", "x", "pln"},
       "error: unknown command \"pln\" for \"kubectl upgrade\"\n\nDid you mean this?\n\tplan\n\n"
       "Run 'kubectl upgrade --help' for usage.\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ku_testing::Cli cli;
    const auto r = cli.run(c.args);
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.err, c.want_err);
    EXPECT_EQ(r.out, "");
  }
}

TEST(ParseFlags, HelpWinsOverEverythingElseAndExitsZero) {
  ku_testing::Cli cli;
  for (const auto& args : std::vector<std::vector<std::string>>{{"version", "--help"},
                                                                {"version", "-h"},
                                                                {"-h", "version"},
                                                                {"--context=x", "version", "-h"}}) {
    const auto r = cli.run(args);
    EXPECT_EQ(r.code, 0);
    EXPECT_TRUE(r.out.starts_with("Print the version information")) << r.out;
  }
}

TEST(ParseFlags, BareRootPrintsHelp) {
  ku_testing::Cli cli;
  const auto r = cli.run({});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Usage:\n  kubectl upgrade [flags] [options]"), std::string::npos);
}

}  // namespace
