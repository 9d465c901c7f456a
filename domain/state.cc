#include "domain/state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace salesledger {

const char* UnitStatusName(UnitStatus s) {
  static const char* kNames[] = {"DRAFT", "REVIEWED", "AVAILABLE", "HELD", "RESERVED", "SUBSCRIBED", "CONTRACTED"};
  return kNames[static_cast<int>(s)];
}

std::string PrintKey(v1::DocumentKind kind, absl::string_view document_id) {
  return absl::StrCat(static_cast<int>(kind), ":", document_id);
}

const char* ItemKindName(ItemKind k) {
  static const char* kNames[] = {"unit",     "payment plan", "customer", "visit",    "reservation",
                                 "subscription", "contract", "change",   "payment",  "refund",
                                 "transfer", "marketing spend", "competitor", "void request"};
  return kNames[static_cast<int>(k)];
}

const Project* State::FindProject(const std::string& id) const {
  auto it = projects.find(id);
  return it == projects.end() ? nullptr : &it->second;
}

Project* State::FindProject(const std::string& id) {
  auto it = projects.find(id);
  return it == projects.end() ? nullptr : &it->second;
}

bool Outage::Covers(absl::string_view project_id, absl::Time deadline) const {
  if (withdrawn_seq != 0 || deadline < from || deadline >= to) return false;
  return project_ids.empty() || std::find(project_ids.begin(), project_ids.end(), project_id) != project_ids.end();
}

const Outage* State::ExcusingOutage(absl::string_view project_id, absl::Time deadline) const {
  const Outage* first = nullptr;
  for (const auto& [id, outage] : outages) {
    if (outage.Covers(project_id, deadline) && (first == nullptr || outage.seq < first->seq)) first = &outage;
  }
  return first;
}

}  // namespace salesledger
