#include "queries/customers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "queries/read_support.h"
#include "queries/views.h"

namespace salesledger {

absl::StatusOr<v1::CustomerView> GetCustomer(const State& state, const v1::GetCustomerRequest& request,
                                             const Person& reader, const PersonalFields& fields) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  auto it = p.customers.find(request.customer_id());
  if (it == p.customers.end()) {
    return absl::NotFoundError(absl::StrCat("customer '", request.customer_id(), "' not found"));
  }
  return CustomerViewOf(p, it->second, reader, fields);
}

absl::StatusOr<v1::ListCustomersResponse> ListCustomers(const State& state, const v1::ListCustomersRequest& request,
                                                        const Person& reader, const PersonalFields& fields) {
  ASSIGN_OR_RETURN(const Project& p, ProjectOf(state, request.project_id()));
  std::vector<const Customer*> sorted;
  for (const auto& [id, c] : p.customers) {
    if (id > request.page_token() && (request.consultant_id().empty() || c.consultant_id == request.consultant_id())) {
      sorted.push_back(&c);
    }
  }
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->customer_id < b->customer_id; });
  v1::ListCustomersResponse out;
  const size_t page = PageSize(request.page_size());
  for (size_t i = 0; i < sorted.size() && i < page; ++i) {
    ASSIGN_OR_RETURN(*out.add_customers(), CustomerViewOf(p, *sorted[i], reader, fields));
  }
  if (sorted.size() > page) out.set_next_page_token(sorted[page - 1]->customer_id);
  return out;
}

}  // namespace salesledger
