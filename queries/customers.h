// Customers with their visits (SPEC.md §5: GetCustomer, ListCustomers). Phones are masked unless
// `reader` may see them (domain/access.h SeesFullPhone). Pure functions of the state and `fields`.
#ifndef SALESLEDGER_QUERIES_CUSTOMERS_H_
#define SALESLEDGER_QUERIES_CUSTOMERS_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "queries/personal_fields.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

// Sealed names and phones are opened through `fields` (queries/views.h CustomerViewOf).
absl::StatusOr<v1::CustomerView> GetCustomer(const State& state, const v1::GetCustomerRequest& request,
                                             const Person& reader, const PersonalFields& fields);
// By customer id.
absl::StatusOr<v1::ListCustomersResponse> ListCustomers(const State& state, const v1::ListCustomersRequest& request,
                                                        const Person& reader, const PersonalFields& fields);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_CUSTOMERS_H_
