#include "services/inspection_scheduler.h"

#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/state.h"

namespace salesledger {

int InspectionScheduler::RunDue() {
  struct Due {
    std::string project_id, day;
  };
  const absl::Time now = clock_->Now();
  std::vector<Due> due = ledger_->Read([&](const State& state) {
    std::vector<Due> out;
    if (state.policies.empty()) return out;
    const int minute = state.policy().inspection_minute_of_day();
    for (const auto& [id, project] : state.projects) {
      const absl::CivilDay today = absl::ToCivilDay(now, project.zone);
      const std::string day = absl::FormatCivilTime(today);
      if (done_.count(id) && done_.at(id) == day) continue;
      if (now >= absl::FromCivil(absl::CivilMinute(today) + minute, project.zone)) out.push_back({id, day});
    }
    return out;
  });
  int ran = 0;
  for (const Due& d : due) {
    v1::Command command;
    command.mutable_run_inspection()->set_request_id(absl::StrCat("auto-inspection:", d.project_id, ":", d.day));
    command.mutable_run_inspection()->set_project_id(d.project_id);
    auto outcome = ledger_->Execute(kSystemPersonId, command);
    if (!outcome.ok()) {
      std::cerr << "ledgerd: inspection of " << d.project_id << " for " << d.day << " failed: " << outcome.status()
                << " (will retry)\n";
      continue;
    }
    done_[d.project_id] = d.day;
    if (!outcome->replayed) ++ran;
  }
  return ran;
}

void InspectionScheduler::Start(absl::Duration period) {
  thread_ = std::thread([this, period] {
    do {
      RunDue();
    } while (!stop_.WaitForNotificationWithTimeout(period));
  });
}

void InspectionScheduler::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace salesledger
