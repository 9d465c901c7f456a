// Payments with receipt numbers, refunds, transfers, audit and invoices (SPEC.md §5: GetPayment,
// ListPayments). Pure functions of the state.
#ifndef SALESLEDGER_QUERIES_PAYMENTS_H_
#define SALESLEDGER_QUERIES_PAYMENTS_H_

#include "absl/status/statusor.h"
#include "domain/state.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

absl::StatusOr<v1::PaymentView> GetPayment(const State& state, const v1::GetPaymentRequest& request);
// By payment id.
absl::StatusOr<v1::ListPaymentsResponse> ListPayments(const State& state, const v1::ListPaymentsRequest& request);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_PAYMENTS_H_
