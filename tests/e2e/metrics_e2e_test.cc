// ledgerd --metrics over real HTTP (issue 18, item 6): a scrape before and after a known set of
// calls moves the counters and histograms by exactly those calls, by RPC and code, and the log's
// synced writes by exactly the events appended.
#include <signal.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;

// The metrics page as Prometheus would scrape it, over HTTP (Python's urllib, another client).
std::string Scrape(int port) {
  std::string out;
  EXPECT_EQ(testing::RunCommand(absl::StrCat("/usr/bin/python3 -c \"import urllib.request,sys; sys.stdout.write("
                                             "urllib.request.urlopen('http://127.0.0.1:",
                                             port, "/metrics', timeout=10).read().decode())\""),
                                &out),
            0)
      << out;
  return out;
}

// Every sample line of the page: "name{labels}" -> value.
std::map<std::string, double> Samples(const std::string& page) {
  std::map<std::string, double> out;
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos || !absl::SimpleAtod(line.substr(space + 1), &value)) continue;
    out[std::string(line.substr(0, space))] = value;
  }
  return out;
}

double Get(const std::map<std::string, double>& samples, const std::string& key) {
  auto it = samples.find(key);
  return it == samples.end() ? 0 : it->second;
}

int MetricsPort(const std::string& output_path) {
  std::ifstream in(output_path);
  std::stringstream text;
  text << in.rdbuf();
  std::smatch m;
  const std::string s = text.str();
  if (!std::regex_search(s, m, std::regex("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics"))) return 0;
  return std::stoi(m[1]);
}

TEST(MetricsE2eTest, ScrapesMoveByExactlyTheCallsMade) {
  testing::TempDir dir;
  testing::LedgerdProcess ledgerd(LEDGERD_PATH, dir.Sub("data"), {"--metrics", "127.0.0.1:0"});
  const int port = MetricsPort(ledgerd.output_path());
  ASSERT_GT(port, 0) << "ledgerd did not say where its metrics are";
  const std::string token = ledgerd.AdminToken();
  auto admin = v1::AdminService::NewStub(ledgerd.Channel());
  auto entry = v1::EntryService::NewStub(ledgerd.Channel());
  auto call = [&](auto fn, auto request, const std::string& bearer) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + bearer);
    v1::EntryResponse response;
    return fn(&ctx, request, &response);
  };
  // Set up a project and a person, then scrape: what follows is all that moves.
  v1::DefineProjectRequest project;
  project.set_request_id("p");
  project.set_project_id("BJF");
  project.set_name("滨江府");
  ASSERT_TRUE(call([&](auto* c, auto& r, auto* o) { return admin->DefineProject(c, r, o); }, project, token).ok());
  const auto before = Samples(Scrape(port));
  EXPECT_EQ(Get(before, "salesledger_head_seq"), 3);  // genesis, the start, the project

  // 5 people added (OK), 2 refused (ALREADY_EXISTS), 3 unauthenticated.
  const std::string add = "/salesledger.v1.AdminService/AddPerson";
  for (int i = 0; i < 7; ++i) {
    v1::AddPersonRequest person;
    person.set_request_id(absl::StrCat("add-", i));
    person.set_person_id(absl::StrCat("gw", i % 5));
    person.set_name("顾问");
    person.add_roles(v1::CONSULTANT);
    person.add_project_ids("BJF");
    const grpc::Status s = call([&](auto* c, auto& r, auto* o) { return admin->AddPerson(c, r, o); }, person, token);
    EXPECT_EQ(s.error_code(), i < 5 ? grpc::StatusCode::OK : grpc::StatusCode::ALREADY_EXISTS) << i;
  }
  for (int i = 0; i < 3; ++i) {
    v1::LogVisitRequest visit;
    visit.set_request_id(absl::StrCat("v-", i));
    EXPECT_EQ(call([&](auto* c, auto& r, auto* o) { return entry->LogVisit(c, r, o); }, visit, "not-a-token").error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  const auto after = Samples(Scrape(port));

  auto delta = [&](const std::string& key) { return Get(after, key) - Get(before, key); };
  auto labels = [](const std::string& method, const char* code) {
    return absl::StrCat("{code=\"", code, "\",method=\"", method, "\"}");
  };
  const std::string visit = "/salesledger.v1.EntryService/LogVisit";
  EXPECT_EQ(delta("salesledger_rpc_calls_total" + labels(add, "OK")), 5);
  EXPECT_EQ(delta("salesledger_rpc_calls_total" + labels(add, "ALREADY_EXISTS")), 2);
  EXPECT_EQ(delta("salesledger_rpc_calls_total" + labels(visit, "UNAUTHENTICATED")), 3);
  EXPECT_EQ(delta("salesledger_rpc_latency_seconds_count" + labels(add, "OK")), 5);
  EXPECT_EQ(delta("salesledger_rpc_latency_seconds_count" + labels(visit, "UNAUTHENTICATED")), 3);
  // Every call is in the histogram's +Inf bucket, and its sum of seconds moved.
  EXPECT_EQ(delta("salesledger_rpc_latency_seconds_bucket{code=\"OK\",method=\"" + add + "\",le=\"+Inf\"}"), 5);
  EXPECT_GT(delta("salesledger_rpc_latency_seconds_sum" + labels(add, "OK")), 0);
  // The log made exactly the five new people durable, in however many synced writes.
  EXPECT_EQ(delta("salesledger_log_group_events_sum"), 5);
  EXPECT_GE(delta("salesledger_log_group_events_count"), 1);
  EXPECT_LE(delta("salesledger_log_group_events_count"), 5);
  EXPECT_EQ(delta("salesledger_log_fsync_seconds_count"), delta("salesledger_log_group_events_count"));
  EXPECT_EQ(Get(after, "salesledger_head_seq"), 8);
  EXPECT_EQ(Get(after, "salesledger_projection_lag_events"), 0);
  EXPECT_EQ(ledgerd.Stop(SIGTERM), 0);
}

TEST(MetricsE2eTest, AnAddressInUseIsRefusedAtStart) {
  testing::TempDir dir;
  testing::LedgerdProcess first(LEDGERD_PATH, dir.Sub("a"), {"--metrics", "127.0.0.1:0"});
  const int port = MetricsPort(first.output_path());
  ASSERT_GT(port, 0);
  std::string out;
  EXPECT_EQ(testing::RunCommand(absl::StrCat(LEDGERD_PATH, " --listen 127.0.0.1:0 --data-dir ", dir.Sub("b"),
                                             " --metrics 127.0.0.1:", port),
                                &out),
            1);
  EXPECT_THAT(out, HasSubstr(absl::StrCat("cannot serve metrics on 127.0.0.1:", port)));
  EXPECT_EQ(first.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace salesledger
