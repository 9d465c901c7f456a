// The violations of the policy found so far (SPEC.md §6.6): kept in the order they arose, which is
// the order statements list them in, and found by id. Part of State (state.h), and like it a plain
// value: its owner serialises writers against readers.
#ifndef SALESLEDGER_DOMAIN_VIOLATIONS_H_
#define SALESLEDGER_DOMAIN_VIOLATIONS_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/compact_id.h"
#include "base/compact_time.h"
#include "base/id_table.h"
#include "base/symbol.h"
#include "domain/rule.h"

namespace salesledger {

// One violation of the policy (SPEC.md §6.6). At most 128 bytes, so that four fit a deque node;
// the rarely set waiver text is kept apart (Violations::WaiverOf).
struct Violation {
  CompactId violation_id;          // <seq>.<n>
  CompactId joins;                 // the violation a joint fine joins
  Symbol subject_id;
  Symbol project_id;
  Symbol period;                   // YYYY-MM, local to the project
  Symbol parameters;               // the rule's parameters, as used (see ViolationParameters)
  int64_t amount_fen = 0;
  uint64_t event_seq = 0;          // the event that caused it (late entry or inspection)
  uint64_t entry_seq = 0;          // the entry it concerns (== event_seq for late entries)
  CompactTime time;                // recorded_at of event_seq
  uint64_t waiver_seq = 0;         // set when waived
  int32_t late_in_month = 0;       // visit_late: this is the subject's n-th late visit of the period
  uint32_t policy_version = 0;
  uint32_t deadline_before_s = 0;  // the deadline judged, in seconds before `time` (see Deadline())
  Rule rule = Rule::kVisitLate;
  bool joint = false;
  bool waived = false;
  bool excused = false;            // its deadline fell inside a declared outage (State::ExcusingOutage)

  // The entry's deadline (late entries), or the audit's or the plan's (inspections).
  absl::Time Deadline() const { return time.time() - absl::Seconds(deadline_before_s); }
  // Whether it counts in totals: neither waived nor excused.
  bool Counts() const { return !waived && !excused; }
};
static_assert(sizeof(Violation) <= 128);
inline absl::string_view ViolationId(const Violation& v) { return v.violation_id.view(); }

// The parameters a violation was judged by, as reported: the rule's, then late_in_month when set.
inline std::string ViolationParameters(const Violation& v) {
  if (v.late_in_month == 0) return v.parameters;
  return absl::StrCat(v.parameters.str(), " late_in_month=", v.late_in_month);
}

// Who waived a violation and why.
struct Waiver {
  std::string reason;
  Symbol waived_by;
};

class Violations {
 public:
  // Adds `v`, whose id must be new; false (and nothing added) when it is not.
  bool Add(Violation v) { return in_order_.Add(std::move(v)); }
  // The violation with id `id`, or nullptr.
  const Violation* Find(absl::string_view id) const { return in_order_.Find(id); }
  Violation* Find(absl::string_view id) { return in_order_.Find(id); }

  // Records the waiver of violation `id` (its waived and waiver_seq are set by the caller).
  void SetWaiver(absl::string_view id, Waiver waiver) { waivers_[id] = std::move(waiver); }
  // The waiver of violation `id`, or nullptr when it was not waived.
  const Waiver* WaiverOf(absl::string_view id) const {
    auto it = waivers_.find(id);
    return it == waivers_.end() ? nullptr : &it->second;
  }
  // For encoding checkpoints.
  IdTable<Violation, ViolationId>& in_order() { return in_order_; }
  CompactIdMap<Waiver>& waivers() { return waivers_; }

  // In the order they arose.
  size_t size() const { return in_order_.size(); }
  const Violation& operator[](size_t i) const { return in_order_[i]; }
  Violation& operator[](size_t i) { return in_order_[i]; }
  auto begin() const { return in_order_.begin(); }
  auto end() const { return in_order_.end(); }

 private:
  IdTable<Violation, ViolationId> in_order_;
  CompactIdMap<Waiver> waivers_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_VIOLATIONS_H_
