#include "tests/domain/domain_harness.h"

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/time_proto.h"
#include "domain/apply.h"
#include "domain/decide.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/testing/first_week_cast.h"
#include "tests/testing/status_matchers.h"

namespace salesledger::testing {

DomainHarness::DomainHarness(bool cast) : now_(absl::FromUnixSeconds(1772326800)) {  // 2026-03-01 09:00 +08
  v1::Event genesis;
  genesis.set_seq(1);
  *genesis.mutable_recorded_at() = ToProto(now_);
  *genesis.mutable_occurred_at() = ToProto(now_);
  genesis.set_actor_id(kSystemPersonId);
  genesis.set_policy_version(1);
  genesis.mutable_genesis()->set_admin_token_id(kAdminPersonId);
  genesis.mutable_genesis()->set_admin_token_sha256(std::string(32, 'a'));
  Apply(state_, genesis);
  if (!cast) return;
  for (const CastStep& step : FirstWeekCast()) Must(step.actor, step.cmd, step.args);
}

std::string DomainHarness::At(int64_t minutes) const {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+08:00", now_ + absl::Minutes(minutes), absl::FixedTimeZone(8 * 3600));
}

std::string DomainHarness::Fill(const std::string& args) const {
  std::string out = absl::StrReplaceAll(args, {{"$NOW", At(0)}});
  static const std::regex kAt(R"(\$AT\[(-?[0-9]+)\])");
  std::smatch m;
  while (std::regex_search(out, m, kAt)) out.replace(m.position(0), m.length(0), At(std::stoll(m[1].str())));
  return out;
}

absl::StatusOr<v1::Event> DomainHarness::Run(const std::string& actor, const std::string& cmd,
                                             const std::string& args) {
  v1::Command command;
  const auto* field = v1::Command::descriptor()->FindFieldByName(cmd);
  if (field == nullptr) return absl::InvalidArgumentError(absl::StrCat("no command '", cmd, "'"));
  auto* request = command.GetReflection()->MutableMessage(&command, field);
  const auto parsed = google::protobuf::util::JsonStringToMessage(Fill(args), request);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat("args of ", cmd, ": ", parsed.message().as_string()));
  v1::Event event;
  event.set_seq(state_.head_seq + 1);
  *event.mutable_recorded_at() = ToProto(now_);
  absl::Status decided = DecideAs(state_, actor, command, std::string(32, 't'), event);
  if (!decided.ok()) return decided;
  Apply(state_, event);
  return event;
}

uint64_t DomainHarness::Must(const std::string& actor, const std::string& cmd, const std::string& args) {
  absl::StatusOr<v1::Event> event = Run(actor, cmd, args);
  if (!event.ok()) {
    std::fprintf(stderr, "DomainHarness set-up step %s by %s refused: %s\n", cmd.c_str(), actor.c_str(),
                 event.status().ToString().c_str());
    std::abort();
  }
  return event->seq();
}

void RunSteps(DomainHarness& h, const std::vector<Step>& steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    const uint64_t head = h.state().head_seq;
    const absl::StatusOr<v1::Event> got = h.Run(step.actor, step.cmd, step.args);
    const std::string where = absl::StrCat("row ", i + 1, " (", step.why, "): ", step.actor, " ", step.cmd, " ",
                                           step.args);
    if (step.code == absl::StatusCode::kOk) {
      EXPECT_THAT(got.status(), IsOk()) << where;
      continue;
    }
    EXPECT_THAT(got.status(), StatusIs(step.code, ::testing::HasSubstr(step.message))) << where;
    EXPECT_EQ(h.state().head_seq, head) << where << ": a refused command changed the state";
  }
}

}  // namespace salesledger::testing
