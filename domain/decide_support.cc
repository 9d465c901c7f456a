#include "domain/decide_support.h"

#include "base/status_macros.h"
#include "domain/access.h"
#include "domain/validation.h"

namespace salesledger {

absl::StatusOr<Ref<Project>> AccessProject(const State& state, const Person& actor, const std::string& project_id) {
  RETURN_IF_ERROR(CheckId("project_id", project_id));
  const Project* project = state.FindProject(project_id);
  if (project == nullptr) return absl::NotFoundError(absl::StrCat("project '", project_id, "' not found"));
  RETURN_IF_ERROR(RequireProject(state, actor, project_id));
  return std::cref(*project);
}

absl::Status CheckNewId(const Project& project, absl::string_view field, absl::string_view id) {
  const Item* item = project.items.Find(id);
  if (item == nullptr) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat(field, " '", id, "' already names a ", ItemKindName(item->ref.kind),
                                               " in project ", project.project_id));
}

absl::Status CheckExpectedSeq(const Project& project, uint64_t expected_seq, absl::string_view id) {
  if (expected_seq == 0) return absl::OkStatus();
  const Item* item = project.items.Find(id);
  if (item != nullptr && item->ref.last_seq > expected_seq) {
    return absl::AbortedError(absl::StrCat("'", id, "' changed at seq ", item->ref.last_seq, ", after expected_seq ",
                                           expected_seq, "; read it again and retry"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Ref<Person>> NamedConsultant(const State& state, const Project& project, const std::string& id) {
  RETURN_IF_ERROR(CheckId("consultant_id", id));
  auto it = state.org.people.find(id);
  if (it == state.org.people.end()) return absl::NotFoundError(absl::StrCat("consultant '", id, "' not found"));
  const Person& p = it->second;
  if (p.shared) {
    return absl::InvalidArgumentError(
        absl::StrCat("consultant_id '", id, "' is a shared account; name the consultant who served the customer"));
  }
  if (!p.HasRole(v1::CONSULTANT) || !p.active) {
    return absl::InvalidArgumentError(absl::StrCat("consultant_id '", id, "' is not an active CONSULTANT"));
  }
  if (!p.project_ids.contains(project.project_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("consultant '", id, "' is not assigned to project ", project.project_id));
  }
  return std::cref(p);
}

}  // namespace salesledger
