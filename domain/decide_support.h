// What the decide functions of every area share: finding the project and the records a command
// names, and recording the event. Internal to domain/. Pure; thread-safe as their arguments are.
#ifndef SALESLEDGER_DOMAIN_DECIDE_SUPPORT_H_
#define SALESLEDGER_DOMAIN_DECIDE_SUPPORT_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/time_proto.h"
#include "domain/decide.h"
#include "domain/state.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// A record found in the state: ASSIGN_OR_RETURN(const Unit& unit, Find(...)) binds it by reference.
template <typename T>
using Ref = std::reference_wrapper<const T>;

// The project `project_id` names: INVALID_ARGUMENT for a malformed id, NOT_FOUND when there is no
// such project, PERMISSION_DENIED when `actor` is not assigned to it (access.h).
absl::StatusOr<Ref<Project>> AccessProject(const State& state, const Person& actor, const std::string& project_id);

// The record `id` names in `map`; NOT_FOUND "<what> '<id>' not found in project P" otherwise.
template <typename Map, typename Key>
absl::StatusOr<Ref<typename Map::mapped_type>> Find(const Map& map, absl::string_view what, const Key& id,
                                                    const Project& project) {
  auto it = map.find(id);
  if (it == map.end()) {
    return absl::NotFoundError(absl::StrCat(what, " '", absl::string_view(id), "' not found in project ",
                                            project.project_id));
  }
  return std::cref(it->second);
}

// ALREADY_EXISTS when `id` already names something in the project (ids are one namespace).
absl::Status CheckNewId(const Project& project, absl::string_view field, absl::string_view id);

// ABORTED when `expected_seq` is set and an event touching `id` came after it.
absl::Status CheckExpectedSeq(const Project& project, uint64_t expected_seq, absl::string_view id);

// The person named as consultant: NOT_FOUND when unknown; INVALID_ARGUMENT when shared, not an
// active CONSULTANT, or not on the project (SPEC.md §3.3).
absl::StatusOr<Ref<Person>> NamedConsultant(const State& state, const Project& project, const std::string& id);

// Fills `event` as the command's own: `body` (one of event's oneof members) becomes `request`
// with request_id and expected_seq cleared (the envelope holds the request_id), and the envelope
// gets the project and, when given, occurred_at.
template <typename Request>
void Record(v1::Event& event, Request* body, const Request& request, absl::string_view project_id = "",
            std::optional<absl::Time> occurred_at = std::nullopt) {
  *body = request;
  body->clear_request_id();
  body->clear_expected_seq();
  if (!project_id.empty()) event.set_project_id(std::string(project_id));
  if (occurred_at) *event.mutable_occurred_at() = ToProto(*occurred_at);
}

// The name of an enum value, for messages ("HOUSE_PAYMENT"); the number when it has none.
template <typename E>
std::string NameOf(E value) {
  const auto* v = google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(value);
  return v == nullptr ? absl::StrCat(static_cast<int>(value)) : v->name();
}

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_DECIDE_SUPPORT_H_
