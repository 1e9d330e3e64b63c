// A temporary folder for a test, removed afterwards, with a helper to write files into it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace kube::testing {

class TempDir {
 public:
  TempDir() {
    std::string base = (std::filesystem::temp_directory_path() / "ku-kube-XXXXXX").string();
    path_ = ::mkdtemp(base.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

  // Writes `text` to `rel` (folders created); returns the absolute path.
  std::string write(const std::string& rel, const std::string& text,
                    std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                  std::filesystem::perms::owner_write) const {
    std::filesystem::path p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    std::filesystem::permissions(p, mode);
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace kube::testing
