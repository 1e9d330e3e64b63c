#include "pkg/ui/table.h"

#include <gtest/gtest.h>

#include "tests/unit/ui/golden.h"

namespace {

const std::string kData = KU_UI_TESTDATA;

ui::Table nodes() {
  ui::Table t({{"name"}, {"role"}, {"version"}, {"os image", true}, {"taints", true}});
  t.add_row({"cp1", "control-plane", "v1.35.4", "Debian GNU/Linux 12 (bookworm)", ""});
  t.add_row({"worker-long-name-1", "", "v1.35.4", "Rocky Linux 9.4", "gpu=true:NoSchedule"});
  t.add_row({"w2", "worker", "v1.34.9"});  // missing cells count as empty
  return t;
}

TEST(Table, DefaultHidesWideColumnsAndFillsNone) {
  ku_testing::expect_golden(kData, "table_default.txt", nodes().render());
}

TEST(Table, WideShowsEveryColumn) {
  ku_testing::expect_golden(kData, "table_wide.txt", nodes().render({.wide = true}));
}

TEST(Table, NoHeaders) {
  ku_testing::expect_golden(kData, "table_no_headers.txt", nodes().render({.no_headers = true}));
}

TEST(Table, ColumnsAreThreeSpacesApartAndLinesHaveNoTrailingSpace) {
  ui::Table t({{"a"}, {"b"}});
  t.add_row({"x", "y"});
  EXPECT_EQ(t.render(), "A   B\nx   y\n");
}

TEST(Table, HostileCellsAreEscapedAndAlignByVisibleWidth) {
  ui::Table t({{"name"}, {"status"}});
  t.add_row({"evil\x1b[31mred", "ok"});
  t.add_row({"n\u00e9ud", "line1\nline2\r"});
  t.add_row({"bell\a", "c1\u0085"});
  ku_testing::expect_golden(kData, "table_escaped.txt", t.render());
}

TEST(EscapeTerminal, Cases) {
  struct Case {
    std::string name, in, want;
  };
  const std::vector<Case> cases = {
      {"plain text unchanged", "node-1.example", "node-1.example"},
      {"escape becomes caret bracket", "\x1b[2J", "^[[2J"},
      {"carriage return shown", "a\rb", "a\\rb"},
      {"newline shown", "a\nb", "a\\nb"},
      {"tab shown", "a\tb", "a\\tb"},
      {"other C0 in caret notation", std::string("a\x07") + "b", "a^Gb"},
      {"DEL", "a\x7f", "a^?"},
      {"C1 NEL as unicode escape", "a\u0085", "a\\u0085"},
      {"UTF-8 letters kept", "n\u00e9ud \u2713", "n\u00e9ud \u2713"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ui::escape_terminal(c.in), c.want);
  }
}

}  // namespace
