#include "pkg/nodeshell/log_lines.h"

#include <gtest/gtest.h>

namespace nodeshell {
namespace {

TEST(LogLines, SplitsChunksIntoLinesWithoutTimestamps) {
  std::vector<std::string> seen;
  LogLines l([&](const std::string& s) { seen.push_back(s); });
  l.feed("2026-11-26T10:00:00.100000000Z hello\n2026-11-26T10:00:00.2");
  l.feed("00000000Z wor");
  l.feed("ld\n");
  EXPECT_EQ(seen, (std::vector<std::string>{"hello", "world"}));
  EXPECT_EQ(l.since_time(), "2026-11-26T10:00:00Z");
}

TEST(LogLines, ReopenedStreamDropsWhatWasSeenAndKeepsWhatIsNew) {
  std::vector<std::string> seen;
  LogLines l([&](const std::string& s) { seen.push_back(s); });
  l.feed("2026-11-26T10:00:00.1Z a\n2026-11-26T10:00:01.5Z b\n2026-11-26T10:00:01.7Z c\n");
  l.feed("2026-11-26T10:00:01.9Z part");  // the stream breaks mid-line
  l.reopen();
  // sinceTime=10:00:01Z: the server sends again everything from that second.
  EXPECT_EQ(l.since_time(), "2026-11-26T10:00:01Z");
  l.feed("2026-11-26T10:00:01.5Z b\n2026-11-26T10:00:01.7Z c\n");
  l.feed("2026-11-26T10:00:01.9Z partial line\n2026-11-26T10:00:02Z d\n");
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "partial line", "d"}));
}

TEST(LogLines, NanosecondsCompareAsNumbersNotText) {
  // RFC3339Nano trims trailing zeros: ".12Z" is after ".1Z" although "1Z" > "12" as text.
  std::vector<std::string> seen;
  LogLines l([&](const std::string& s) { seen.push_back(s); });
  l.feed("2026-11-26T10:00:00.1Z one\n2026-11-26T10:00:00.12Z two\n");
  l.reopen();
  l.feed("2026-11-26T10:00:00.1Z one\n2026-11-26T10:00:00.12Z two\n2026-11-26T10:00:00.3Z three\n");
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(LogLines, FinishEmitsAPartialLastLine) {
  std::vector<std::string> seen;
  LogLines l([&](const std::string& s) { seen.push_back(s); });
  l.feed("2026-11-26T10:00:00Z no newline at the end");
  EXPECT_TRUE(seen.empty());
  l.finish();
  EXPECT_EQ(seen, std::vector<std::string>{"no newline at the end"});
}

}  // namespace
}  // namespace nodeshell
