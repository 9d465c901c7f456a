// Records of the state as the views of SPEC.md §5 show them (salesledger.v1 *View messages).
// Internal to queries/; the read models build their answers from these. Pure.
#ifndef SALESLEDGER_QUERIES_VIEWS_H_
#define SALESLEDGER_QUERIES_VIEWS_H_

#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"
#include "domain/state.h"
#include "queries/personal_fields.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

v1::UnitView UnitViewOf(const Project& project, const Unit& unit);
// `reader` decides whether the phone is shown in full (domain/access.h SeesFullPhone); sealed fields
// are opened through `fields`. An erased customer shows kErasedName and no phone, as does one whose
// key is gone (FAILED_PRECONDITION from `fields`: a restored backup whose erasures are being
// re-applied); any other failure to open is the answer.
absl::StatusOr<v1::CustomerView> CustomerViewOf(const Project& project, const Customer& customer, const Person& reader,
                                                const PersonalFields& fields);
v1::PaymentView PaymentViewOf(const Project& project, absl::string_view payment_id, const Payment& payment);
// A subscription, or with `contract` set that contract of it.
v1::DocumentView DocumentViewOf(const Project& project, const Subscription& subscription, const Contract* contract);
v1::ViolationView ViolationViewOf(const State& state, const Violation& violation);

// What buyers have paid on a subscription: deposits and house payments, plus transferred earnest
// money, less refunds; voided entries and collected fees (代收费用) are not part of the price.
int64_t PaidOn(const Project& project, const std::string& subscription_id);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_VIEWS_H_
