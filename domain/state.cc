#include "domain/state.h"

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

}  // namespace salesledger
