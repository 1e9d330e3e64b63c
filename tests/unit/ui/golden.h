// Golden files: compare rendered output with testdata/<name>; UPDATE_GOLDEN=1 rewrites them.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace ku_testing {

inline void expect_golden(const std::string& dir, const std::string& name,
                          const std::string& actual) {
  const std::string path = dir + "/" + name;
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path << " (run with UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(want.str(), actual) << "golden file " << path
                                << " differs (UPDATE_GOLDEN=1 regenerates; review the diff)";
}

}  // namespace ku_testing
