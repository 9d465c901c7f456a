// Checks that many commands' decide functions share. Internal to projections/.
#ifndef SALESLEDGER_DOMAIN_DECIDE_SUPPORT_H_
#define SALESLEDGER_DOMAIN_DECIDE_SUPPORT_H_

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/decide.h"
#include "domain/state.h"

namespace salesledger {

// PERMISSION_DENIED unless the actor has one of `roles` (role ids of SPEC.md §1).
absl::Status RequireRole(const Person& actor, std::initializer_list<const char*> roles, const char* command);

// True for roles that act on every project (SPEC.md §1).
bool ActsOnEveryProject(const Person& person);

// The project `project_id` names: INVALID_ARGUMENT for a malformed id, NOT_FOUND when there is no
// such project, PERMISSION_DENIED when `actor` is not assigned to it.
absl::StatusOr<const Project*> AccessProject(const State& state, const Person& actor, const std::string& project_id);

// ALREADY_EXISTS when `id` already names something in the project.
absl::Status CheckNewId(const Project& project, const char* field, const std::string& id);

// ABORTED when `expected_seq` is set and an event touching `id` came after it.
absl::Status CheckExpectedSeq(const Project& project, uint64_t expected_seq, const std::string& id);

// The person named as consultant: NOT_FOUND when unknown; INVALID_ARGUMENT when shared, not a
// CONSULTANT, or not on the project (SPEC.md §3.3).
absl::StatusOr<const Person*> NamedConsultant(const State& state, const Project& project, const std::string& id);

// The record `id` names if it is of kind `kind`; NOT_FOUND naming `field` otherwise.
template <typename Map>
absl::StatusOr<const typename Map::mapped_type*> Find(const Map& map, const char* field, const std::string& id,
                                                      const Project& project) {
  auto it = map.find(id);
  if (it == map.end()) return absl::NotFoundError(std::string(field) + " '" + id + "' not found in project " + project.project_id);
  return &it->second;
}

// Copies a request into an event body without the request-only fields.
template <typename M>
void StoreBody(M* body, const M& request) {
  *body = request;
  body->clear_request_id();
  body->clear_expected_seq();
}

// Lower-case name of an enum value, for messages ("HOUSE_PAYMENT").
std::string EnumName(const google::protobuf::EnumDescriptor* type, int value);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_DECIDE_SUPPORT_H_
