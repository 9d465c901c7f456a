#include "domain/decide_support.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/validation.h"

namespace salesledger {

absl::Status RequireRole(const Person& actor, std::initializer_list<const char*> roles, const char* command) {
  for (const char* role : roles) {
    if (actor.HasRole(role)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(actor.person_id, " may not ", command, ": it needs role ",
                                                  absl::StrJoin(roles, " or ")));
}

bool ActsOnEveryProject(const Person& person) {
  return person.HasRole(kRoleAdmin) || person.HasRole(kRoleAuditor) || person.HasRole(kRoleFinanceLead) ||
         person.HasRole(kRoleInspector);
}

absl::StatusOr<const Project*> AccessProject(const State& state, const Person& actor, const std::string& project_id) {
  if (auto s = CheckId("project_id", project_id); !s.ok()) return s;
  const Project* project = state.FindProject(project_id);
  if (project == nullptr) return absl::NotFoundError(absl::StrCat("project '", project_id, "' not found"));
  if (!ActsOnEveryProject(actor) && !actor.project_ids.contains(project_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat(actor.person_id, " is not assigned to project ", project_id));
  }
  return project;
}

absl::Status CheckNewId(const Project& project, const char* field, const std::string& id) {
  const Item* item = project.items.Find(id);
  if (item == nullptr) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat(field, " '", id, "' already names a ", ItemKindName(item->ref.kind),
                                               " in project ", project.project_id));
}

absl::Status CheckExpectedSeq(const Project& project, uint64_t expected_seq, const std::string& id) {
  if (expected_seq == 0) return absl::OkStatus();
  const Item* item = project.items.Find(id);
  if (item != nullptr && item->ref.last_seq > expected_seq) {
    return absl::AbortedError(absl::StrCat("'", id, "' changed at seq ", item->ref.last_seq, ", after expected_seq ",
                                           expected_seq, "; read it again and retry"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const Person*> NamedConsultant(const State& state, const Project& project, const std::string& id) {
  if (auto s = CheckId("consultant_id", id); !s.ok()) return s;
  auto it = state.org.people.find(id);
  if (it == state.org.people.end()) return absl::NotFoundError(absl::StrCat("consultant '", id, "' not found"));
  const Person& p = it->second;
  if (p.shared) {
    return absl::InvalidArgumentError(
        absl::StrCat("consultant_id '", id, "' is a shared account; name the consultant who served the customer"));
  }
  if (!p.HasRole(kRoleConsultant) || !p.active) {
    return absl::InvalidArgumentError(absl::StrCat("consultant_id '", id, "' is not an active CONSULTANT"));
  }
  if (!p.project_ids.contains(project.project_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("consultant '", id, "' is not assigned to project ", project.project_id));
  }
  return &p;
}

std::string EnumName(const google::protobuf::EnumDescriptor* type, int value) {
  const auto* v = type->FindValueByNumber(value);
  return v == nullptr ? absl::StrCat(value) : v->name();
}

}  // namespace salesledger
