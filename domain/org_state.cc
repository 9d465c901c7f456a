#include "domain/org_state.h"

#include "absl/strings/str_join.h"

namespace salesledger {

std::vector<v1::Role> RoleSet::list() const {
  std::vector<v1::Role> out;
  for (int r = v1::Role_MIN; r <= v1::Role_MAX; ++r) {
    if (v1::Role_IsValid(r) && Has(static_cast<v1::Role>(r))) out.push_back(static_cast<v1::Role>(r));
  }
  return out;
}

std::string RoleSet::Names(const char* separator) const {
  return absl::StrJoin(list(), separator, [](std::string* out, v1::Role r) { out->append(v1::Role_Name(r)); });
}

}  // namespace salesledger
