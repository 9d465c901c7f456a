// The server's own daily inspection (SPEC.md §3.9, §6.4): once a day per project, at the policy's
// inspection time in the project's time zone, it appends run_inspection as the principal `system`.
// Its request_id names the project and the local day, so a restart or a second pass never runs
// the same day's inspection twice.
#ifndef SALESLEDGER_SERVICES_INSPECTION_SCHEDULER_H_
#define SALESLEDGER_SERVICES_INSPECTION_SCHEDULER_H_

#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "services/ledger.h"

namespace salesledger {

class InspectionScheduler {
 public:
  // `ledger` and `clock` are not owned and must outlive the scheduler.
  InspectionScheduler(Ledger* ledger, Clock* clock) : ledger_(ledger), clock_(clock) {}
  ~InspectionScheduler() { Stop(); }

  // Runs every due inspection now; returns how many were appended. Not thread-safe with itself.
  int RunDue();

  // Calls RunDue every `period` on a thread of its own until Stop.
  void Start(absl::Duration period);
  void Stop();

 private:
  Ledger* ledger_;
  Clock* clock_;
  std::map<std::string, std::string> done_;  // project -> last local day inspected
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_INSPECTION_SCHEDULER_H_
