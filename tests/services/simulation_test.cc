// Runs every scenario in tests/scenarios through `Simulate` and compares the report with the
// hand-worked <name>.expected.json, as ../shared/tools/compare_report.py does: everything the
// expected report states must match; extra units or timeliness rows are fine. Beyond the shared
// tool, an item's excused_by_outage and a row's excused count are checked when stated.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/simulation.h"

namespace salesledger {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

Struct ParseJson(const std::string& text) {
  Struct s;
  auto status = google::protobuf::util::JsonStringToMessage(text, &s);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return s;
}

const Value& Get(const Struct& s, const std::string& key) {
  static const Value* kNull = new Value();
  auto it = s.fields().find(key);
  return it == s.fields().end() ? *kNull : it->second;
}

std::string Str(const Struct& s, const std::string& key) { return Get(s, key).string_value(); }
int64_t Num(const Struct& s, const std::string& key) { return static_cast<int64_t>(Get(s, key).number_value()); }

std::vector<std::string> Compare(const Struct& expected, const Struct& got) {
  std::vector<std::string> diffs;
  auto has = [&](const std::string& key) { return expected.fields().contains(key); };
  if (has("head") && Num(Get(expected, "head").struct_value(), "seq") != Num(Get(got, "head").struct_value(), "seq")) {
    diffs.push_back(absl::StrCat("head.seq: expected ", Num(Get(expected, "head").struct_value(), "seq"), ", got ",
                                 Num(Get(got, "head").struct_value(), "seq")));
  }
  if (has("rejected")) {
    std::map<int64_t, std::string> want, have;
    for (const auto& r : Get(expected, "rejected").list_value().values()) want[Num(r.struct_value(), "line")] = Str(r.struct_value(), "code");
    for (const auto& r : Get(got, "rejected").list_value().values()) {
      have[Num(r.struct_value(), "line")] = Str(r.struct_value(), "code") + " (" + Str(r.struct_value(), "message") + ")";
    }
    for (const auto& [line, code] : want) {
      if (!have.contains(line) || have[line].rfind(code + " ", 0) != 0) {
        diffs.push_back(absl::StrCat("line ", line, ": expected ", code, ", got ", have.contains(line) ? have[line] : "accepted"));
      }
    }
    for (const auto& [line, what] : have) {
      if (!want.contains(line)) diffs.push_back(absl::StrCat("line ", line, ": refused with ", what, " but should be accepted"));
    }
  }
  if (has("units")) {
    std::map<std::string, std::string> have;
    for (const auto& u : Get(got, "units").list_value().values()) {
      have[Str(u.struct_value(), "project_id") + "/" + Str(u.struct_value(), "unit_id")] = Str(u.struct_value(), "status");
    }
    for (const auto& u : Get(expected, "units").list_value().values()) {
      const std::string key = Str(u.struct_value(), "project_id") + "/" + Str(u.struct_value(), "unit_id");
      if (have[key] != Str(u.struct_value(), "status")) {
        diffs.push_back(absl::StrCat("unit ", key, ": expected ", Str(u.struct_value(), "status"), ", got ", have[key]));
      }
    }
  }
  if (has("penalty_statements")) {
    std::map<std::string, Struct> have;
    for (const auto& s : Get(got, "penalty_statements").list_value().values()) {
      have[Str(s.struct_value(), "person_id") + "/" + Str(s.struct_value(), "period")] = s.struct_value();
    }
    std::set<std::string> wanted;
    for (const auto& sv : Get(expected, "penalty_statements").list_value().values()) {
      const Struct& s = sv.struct_value();
      const std::string key = Str(s, "person_id") + "/" + Str(s, "period");
      wanted.insert(key);
      if (!have.contains(key)) {
        diffs.push_back("statement " + key + ": missing");
        continue;
      }
      if (Num(s, "total_fen") != Num(have[key], "total_fen")) {
        diffs.push_back(absl::StrCat("statement ", key, ": total expected ", Num(s, "total_fen"), ", got ",
                                     Num(have[key], "total_fen")));
      }
      std::map<std::string, Struct> items;
      for (const auto& i : Get(have[key], "items").list_value().values()) items[Str(i.struct_value(), "violation_id")] = i.struct_value();
      std::set<std::string> wanted_items;
      for (const auto& iv : Get(s, "items").list_value().values()) {
        const Struct& i = iv.struct_value();
        const std::string id = Str(i, "violation_id");
        wanted_items.insert(id);
        if (!items.contains(id)) {
          diffs.push_back("statement " + key + ": violation " + id + " missing");
          continue;
        }
        const Struct& g = items[id];
        if (Str(i, "rule") != Str(g, "rule") || Num(i, "amount_fen") != Num(g, "amount_fen") ||
            Num(i, "event_seq") != Num(g, "event_seq") || Get(i, "joint").bool_value() != Get(g, "joint").bool_value() ||
            Get(i, "waived").bool_value() != Get(g, "waived").bool_value() ||
            (i.fields().contains("excused_by_outage") && Str(i, "excused_by_outage") != Str(g, "excused_by_outage"))) {
          std::string text;
          (void)google::protobuf::util::MessageToJsonString(g, &text);
          diffs.push_back("violation " + id + " differs: got " + text);
        }
      }
      for (const auto& [id, item] : items) {
        if (!wanted_items.contains(id)) diffs.push_back("statement " + key + ": unexpected violation " + id);
      }
    }
    for (const auto& [key, s] : have) {
      if (!wanted.contains(key)) diffs.push_back("statement " + key + ": unexpected");
    }
  }
  if (has("timeliness")) {
    std::map<std::string, std::pair<int64_t, int64_t>> have;
    std::map<std::string, int64_t> excused;
    auto key_of = [](const Struct& r) {
      return Str(r, "project_id") + "/" + Str(r, "person_id") + "/" + Str(r, "kind") + "/" + Str(r, "period");
    };
    for (const auto& r : Get(got, "timeliness").list_value().values()) {
      have[key_of(r.struct_value())] = {Num(r.struct_value(), "entries"), Num(r.struct_value(), "late")};
      excused[key_of(r.struct_value())] = Num(r.struct_value(), "excused");
    }
    for (const auto& rv : Get(expected, "timeliness").list_value().values()) {
      const Struct& r = rv.struct_value();
      auto want = std::make_pair(Num(r, "entries"), Num(r, "late"));
      if (have[key_of(r)] != want) {
        diffs.push_back(absl::StrCat("timeliness ", key_of(r), ": expected entries=", want.first, " late=", want.second,
                                     ", got entries=", have[key_of(r)].first, " late=", have[key_of(r)].second));
      }
      if (r.fields().contains("excused") && excused[key_of(r)] != Num(r, "excused")) {
        diffs.push_back(absl::StrCat("timeliness ", key_of(r), ": expected excused=", Num(r, "excused"), ", got ",
                                     excused[key_of(r)]));
      }
    }
  }
  if (has("receipts")) {
    for (const auto& [payment, receipt] : Get(expected, "receipts").struct_value().fields()) {
      const std::string got_receipt = Str(Get(got, "receipts").struct_value(), payment);
      if (got_receipt != receipt.string_value()) {
        diffs.push_back("receipt of " + payment + ": expected " + receipt.string_value() + ", got " + got_receipt);
      }
    }
  }
  return diffs;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SimulationTest, EveryScenarioReproducesItsExpectedReport) {
  int scenarios = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SCENARIO_DIR)) {
    if (entry.path().extension() != ".jsonl") continue;
    const auto expected_path = entry.path().parent_path() / (entry.path().stem().string() + ".expected.json");
    ASSERT_TRUE(std::filesystem::exists(expected_path)) << "no expected report for " << entry.path();
    std::ifstream in(entry.path());
    auto report = Simulate(in);
    ASSERT_TRUE(report.ok()) << report.status();
    for (const auto& diff : Compare(ParseJson(ReadAll(expected_path)), ParseJson(*report))) {
      ADD_FAILURE() << entry.path().filename() << ": " << diff;
    }
    ++scenarios;
  }
  EXPECT_GE(scenarios, 4);
}

TEST(SimulationTest, RefusedLinesAreReportedAndTheRunGoesOn) {
  std::istringstream in(
      R"({"at":"2026-03-01T09:00:00+08:00","actor":"admin","cmd":"define_project","args":{"project_id":"BJF","name":"x"}})"
      "\n"
      R"({"at":"2026-03-01T09:01:00+08:00","actor":"admin","cmd":"no_such_command","args":{}})"
      "\n"
      R"({"at":"2026-03-01T08:00:00+08:00","actor":"admin","cmd":"define_project","args":{"project_id":"B2","name":"x"}})"
      "\n"
      R"({"at":"2026-03-01T09:02:00+08:00","actor":"ghost","cmd":"define_project","args":{"project_id":"B3","name":"x"}})"
      "\n"
      R"(not json)"
      "\n"
      R"({"at":"2026-03-01T09:03:00+08:00","actor":"admin","cmd":"define_project","args":{"project_id":"B4","name":"x","bogus":1}})"
      "\n"
      R"({"at":"2026-03-01T09:04:00+08:00","actor":"admin","cmd":"define_project","args":{"project_id":"B5","name":"x"}})");
  auto report = Simulate(in);
  ASSERT_TRUE(report.ok()) << report.status();
  Struct r = ParseJson(*report);
  EXPECT_EQ(Num(Get(r, "head").struct_value(), "seq"), 3);
  std::vector<std::pair<int64_t, std::string>> rejected;
  for (const auto& x : Get(r, "rejected").list_value().values()) {
    rejected.push_back({Num(x.struct_value(), "line"), Str(x.struct_value(), "code")});
  }
  EXPECT_EQ(rejected, (std::vector<std::pair<int64_t, std::string>>{{2, "INVALID_ARGUMENT"},
                                                                    {3, "INVALID_ARGUMENT"},
                                                                    {4, "UNAUTHENTICATED"},
                                                                    {5, "INVALID_ARGUMENT"},
                                                                    {6, "INVALID_ARGUMENT"}}));
}

}  // namespace
}  // namespace salesledger
